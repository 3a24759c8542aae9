// What the platform client costs per call, measured against the simulator on loopback (zero latency):
//   node -r ./tools/runtime/ts-register.js tools/bench/src/platform-client-overhead.ts [--calls 2000] [--concurrency 8]
// "raw" posts a ready-made envelope with node:http over a kept-alive connection; "fetch" posts the same with Node's
// fetch (the client's transport before 7 December 2026); "client" is PlatformClient.call: validation, msgid from
// PostgreSQL, journal row before and outcome after, envelope, span. The difference is the client's overhead.
import http from 'node:http';
import { parseArgs } from 'node:util';
import {
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
  parsePlatformClientConfig,
  shanghaiSecondStamp,
} from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { PlatformSimProcess } from '@yb/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { rawPlatformRequestBody } from './raw-platform-request';
import { formatSummary, summarise, type LatencySummary } from './stats';

const FIXMEDINS_CODE = 'H42010200123';
// The raw path numbers its own msgids under another code, so the two never collide in the simulator.
const RAW_FIXMEDINS_CODE = 'H42010299999';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function measure(
  calls: number,
  concurrency: number,
  once: (i: number) => Promise<void>,
): Promise<LatencySummary> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        const i = next++;
        const t0 = performance.now();
        await once(i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return summarise(samples, performance.now() - started);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { calls: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' } },
  });
  const calls = Number(values.calls);
  const concurrency = Number(values.concurrency);
  const schema = `bench_client_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);

  const sim = await PlatformSimProcess.start({ PLATFORM_SIM_REQUIRE_SIGN_IN: 'false' });
  const url = sim.url;
  const dataSource = new DataSource({
    type: 'postgres',
    url: DATABASE_URL,
    schema,
    entities: [PlatformCallRecord],
    migrations: PLATFORM_CLIENT_MIGRATIONS,
    poolSize: concurrency + 2,
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const client = new PlatformClient({
    dataSource,
    config: parsePlatformClientConfig({
      baseUrl: url,
      fixmedins_code: FIXMEDINS_CODE,
      fixmedins_name: '武汉市某某医院',
      mdtrtarea_admvs: '420100',
      operator: { opter_type: '1', opter: 'BENCH', opter_name: '压测', ip: '127.0.0.1' },
      msgidSchema: schema,
    }),
  });
  const input = INTERFACE_EXAMPLES['1101'].input;
  const agent = new http.Agent({ keepAlive: true });

  try {
    await client.start();
    let rawSeq = 0;
    const endpoint = `${url}/fsi/api/rsfComIfsService/callService`;
    const readyEnvelope = () => {
      const now = new Date();
      const stamp = shanghaiSecondStamp(now);
      return JSON.stringify(
        rawPlatformRequestBody({
          infno: '1101',
          msgid: `${RAW_FIXMEDINS_CODE}${stamp}${String(rawSeq++ % 10_000).padStart(4, '0')}`,
          input,
          now,
          operator: { opter_type: '1', opter: 'BENCH', opter_name: '压测' },
        }),
      );
    };
    const checkAnswer = (text: string) => {
      const answer = JSON.parse(text) as { infcode: number | string; err_msg?: string };
      if (Number(answer.infcode) !== 0) throw new Error(`raw 1101 refused: ${answer.err_msg}`);
    };
    const raw = () =>
      new Promise<void>((resolve, reject) => {
        const body = Buffer.from(readyEnvelope());
        const request = http.request(
          endpoint,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json;charset=utf-8', 'content-length': body.length },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              try {
                resolve(checkAnswer(Buffer.concat(chunks).toString('utf8')));
              } catch (err) {
                reject(err);
              }
            });
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    const viaFetch = async () => {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: readyEnvelope(),
      });
      checkAnswer(await res.text());
    };
    const viaClient = async (i: number) => {
      // With a request key, as the services' platform workers call (the journal looks the key up first).
      const result = await client.call('1101', input, { visitKey: `BENCH${i}`, requestKey: `bench-${i}` });
      if (result.status !== 'SUCCEEDED') throw new Error(`client 1101 ended ${result.status}`);
    };

    // Warm up both paths (JIT, connection pools) before measuring.
    await measure(200, concurrency, raw);
    await measure(200, concurrency, viaFetch);
    await measure(200, concurrency, (i) => viaClient(-1 - i));

    const rows: Array<[string, LatencySummary, number]> = [];
    // This process's CPU per call (the simulator's is its own): what a service spends, less load-sensitive
    // than the times on a shared machine.
    const withCpu = async (label: string, run: () => Promise<LatencySummary>) => {
      const cpu = process.cpuUsage();
      const summary = await run();
      const { user, system } = process.cpuUsage(cpu);
      rows.push([label, summary, (user + system) / 1000 / calls]);
    };
    let offset = 0;
    for (const c of [1, concurrency]) {
      await withCpu(`raw node:http, a ready envelope, concurrency ${c}`, () => measure(calls, c, raw));
      await withCpu(`fetch of a ready envelope, concurrency ${c}`, () => measure(calls, c, viaFetch));
      const from = (offset += calls);
      await withCpu(`PlatformClient.call('1101'), concurrency ${c}`, () =>
        measure(calls, c, (i) => viaClient(from + i)),
      );
    }
    console.log(`\nplatform-client overhead vs raw HTTP, simulator on loopback, ${calls} calls per row`);
    for (const [label, summary, cpuMs] of rows) {
      console.log(`${formatSummary(label, summary)}  ${cpuMs.toFixed(2).padStart(5)} ms CPU`);
    }
    const [rawSeqRow, fetchSeqRow, clientSeqRow] = rows;
    console.log(
      `client overhead per call (sequential, mean): ${(clientSeqRow[1].meanMs - rawSeqRow[1].meanMs).toFixed(2)} ms,` +
        ` ${(clientSeqRow[2] - rawSeqRow[2]).toFixed(2)} ms CPU (journal insert + update, msgid upsert, validation,` +
        ` envelope, span)`,
    );
    console.log(
      `fetch over raw node:http (sequential, mean): ${(fetchSeqRow[1].meanMs - rawSeqRow[1].meanMs).toFixed(2)} ms,` +
        ` ${(fetchSeqRow[2] - rawSeqRow[2]).toFixed(2)} ms CPU`,
    );
  } finally {
    await client.stop().catch(() => undefined);
    agent.destroy();
    await dataSource.destroy();
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
