import { Writable } from 'node:stream';
import { createLogger, PinoNestLogger } from './logger';

describe("Nest's messages through pino", () => {
  it('keeps the start-up inventory (modules, routes) at debug and the rest at info', () => {
    const lines: { level: number; msg: string; context?: string }[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const nest = new PinoNestLogger(createLogger({ serviceName: 'test', level: 'debug', destination }));
    nest.log('Mapped {/api/visits, GET} route', 'RouterExplorer');
    nest.log('ServiceRuntimeModule dependencies initialized', 'InstanceLoader');
    nest.log('Nest application successfully started', 'NestApplication');
    expect(lines.map((l) => [l.level, l.context])).toEqual([
      [20, 'RouterExplorer'],
      [20, 'InstanceLoader'],
      [30, 'NestApplication'],
    ]);
  });
});
