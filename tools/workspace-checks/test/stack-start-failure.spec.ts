import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../../..');
// Where the suite's own broker runs from: Jest's global setup fetched its version's jars there.
const stackCache = process.env.STACK_CACHE_DIR ?? path.join(root, '.cache/stack');

const listen = (port = 0) =>
  new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;
const close = (server: net.Server) => new Promise((resolve) => server.close(resolve));

describe('a Kafka node that cannot start', () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-start-failure-'));
    // Every version's fetched jars (kafka-<version>/libs), so the run starts the version this suite runs.
    for (const dir of fs.readdirSync(stackCache)) {
      if (/^kafka-\d/.test(dir) && fs.existsSync(path.join(stackCache, dir, 'libs', '.complete')))
        fs.symlinkSync(path.join(stackCache, dir), path.join(cacheDir, dir));
    }
  });
  afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it('fails `up` once it has exited twice, printing the reason the broker wrote', async () => {
    // Its controller port is taken: the node exits during start-up, as it would on a port held for an instant.
    const controller = await listen();
    const freed = await listen();
    const brokerPort = portOf(freed);
    await close(freed);
    try {
      const { KAFKA_BROKERS: _reused, ...env } = process.env;
      const res = spawnSync(process.execPath, [path.join(root, 'tools/stack/stack.mjs'), 'up'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 150_000,
        env: {
          ...env,
          STACK_ZIPKIN: 'false',
          STACK_CACHE_DIR: cacheDir,
          KAFKA_PORT: String(brokerPort),
          KAFKA_CONTROLLER_PORT: String(portOf(controller)),
        },
      });
      expect(res.status).toBe(1);
      expect(res.stderr.match(/started Kafka \S+ node 1/g)).toHaveLength(2);
      expect(res.stderr).toMatch(/a Kafka node exited during start-up; starting it once more/);
      expect(res.stderr).toMatch(/the broker process has exited/);
      expect(res.stderr).toMatch(/--- what the broker wrote since this start ---/);
      expect(res.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${portOf(controller)}: Address already in use`));
    } finally {
      await close(controller);
    }
  }, 180_000);
});
