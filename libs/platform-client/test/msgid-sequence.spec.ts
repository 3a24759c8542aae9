import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { createTestSchema, withClient, type TestSchema } from '@yb/testing';
import { MsgidSequence } from '../src/msgid-sequence';
import { shanghaiSecondStamp } from '@yb/contracts';

const CODE = 'H42010200001';
const MSGID = /^H42010200001(\d{14})(\d{4})$/;

describe('MsgidSequence against PostgreSQL', () => {
  let schema: TestSchema;
  const dataSources: DataSource[] = [];

  /** A separate pool of connections, as another process (or a restarted one) would have. */
  async function newProcess(): Promise<DataSource> {
    const ds = new DataSource({ type: 'postgres', url: schema.databaseUrl, poolSize: 2 });
    await ds.initialize();
    dataSources.push(ds);
    return ds;
  }

  beforeAll(async () => {
    schema = await createTestSchema('msgid');
    await new MsgidSequence(await newProcess(), CODE, schema.schema).ensureTable();
  });

  afterAll(async () => {
    await Promise.all(dataSources.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
    await schema.drop();
  });

  it('never repeats an id across concurrent generators, processes and restarts; every id has the format', async () => {
    const issued = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        // per process: how many ids it issues before and after a restart
        fc.array(fc.tuple(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 25 })), {
          minLength: 2,
          maxLength: 4,
        }),
        async (processes) => {
          const before = Date.now();
          const run = async ([first, afterRestart]: [number, number]) => {
            const ids: string[] = [];
            const issue = async (sequence: MsgidSequence, count: number) => {
              // Each process also runs its calls concurrently.
              ids.push(...(await Promise.all(Array.from({ length: count }, () => sequence.next()))));
            };
            const process = await newProcess();
            await issue(new MsgidSequence(process, CODE, schema.schema), first);
            await process.destroy(); // the restart: nothing survives but the database
            const restarted = await newProcess();
            await issue(new MsgidSequence(restarted, CODE, schema.schema), afterRestart);
            await restarted.destroy();
            return ids;
          };
          const ids = (await Promise.all(processes.map(run))).flat();
          const after = Date.now();
          for (const id of ids) {
            const match = MSGID.exec(id);
            expect(match).not.toBeNull();
            const [, stamp, seq] = match!;
            expect(
              stamp >= shanghaiSecondStamp(new Date(before)) && stamp <= shanghaiSecondStamp(new Date(after)),
            ).toBe(true);
            expect(Number(seq)).toBeGreaterThanOrEqual(1);
            expect(issued.has(id)).toBe(false);
            issued.add(id);
          }
          expect(ids).toHaveLength(processes.reduce((n, [a, b]) => n + a + b, 0));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('continues after the stored counter when the clock steps back to a second already used', async () => {
    const t1 = new Date('2030-05-01T02:00:10Z');
    const t0 = new Date('2030-05-01T02:00:09Z');
    let clock = t1;
    const sequence = new MsgidSequence(await newProcess(), CODE, schema.schema, () => clock);
    const firstRun = [await sequence.next(), await sequence.next()];
    clock = t0;
    const earlier = await sequence.next();
    clock = t1; // NTP correction brings it back into the seconds used before
    const again = await sequence.next();
    // 02:00:10Z is 10:00:10 in Shanghai. The second call reserved 0002-0003 (a doubled block); 0003 was left
    // when the clock moved, so it is skipped, never issued.
    expect(firstRun).toEqual(['H42010200001203005011000100001', 'H42010200001203005011000100002']);
    expect(earlier).toBe('H42010200001203005011000090001');
    expect(again).toBe('H42010200001203005011000100004');
  });

  it('reserves ids in growing blocks while a second is busy: one upsert for many calls', async () => {
    const clock = new Date('2030-07-01T04:00:00Z');
    const process = await newProcess();
    const sequence = new MsgidSequence(process, CODE, schema.schema, () => clock);
    await sequence.ensureTable();
    let upserts = 0;
    const query = process.query.bind(process);
    process.query = ((sql: string, params?: unknown[]) => {
      if (sql.includes('INSERT INTO')) upserts++;
      return query(sql, params);
    }) as typeof process.query;
    const ids = await Promise.all(Array.from({ length: 127 }, () => sequence.next()));
    expect(new Set(ids).size).toBe(127);
    expect(ids.map((id) => Number(id.slice(-4))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 127 }, (_, i) => i + 1),
    );
    // Blocks of 1, 2, 4, 8, 16, 32, 64.
    expect(upserts).toBe(7);
  });

  it('takes what is left of a second near its 9999th id, and then the next second', async () => {
    const base = new Date('2030-08-01T05:00:00.100Z').getTime();
    const stamp = shanghaiSecondStamp(new Date(base));
    await withClient(schema.databaseUrl, (c) =>
      c.query(`INSERT INTO "${schema.schema}".msgid_sequence VALUES ($1, $2, 9996)`, [CODE, stamp]),
    );
    let now = base;
    const sequence = new MsgidSequence(await newProcess(), CODE, schema.schema, () => new Date(now));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await sequence.next());
    expect(ids).toEqual([`${CODE}${stamp}9997`, `${CODE}${stamp}9998`, `${CODE}${stamp}9999`]);
    now = base + 1000;
    expect(await sequence.next()).toMatch(new RegExp(`^${CODE}${shanghaiSecondStamp(new Date(now))}\\d{4}$`));
  });

  it('waits for the next second once a second has issued 9999 ids', async () => {
    const base = new Date('2030-06-01T03:00:00.500Z').getTime();
    const stamp = shanghaiSecondStamp(new Date(base));
    await withClient(schema.databaseUrl, (c) =>
      c.query(`INSERT INTO "${schema.schema}".msgid_sequence VALUES ($1, $2, 9999)`, [CODE, stamp]),
    );
    let reads = 0;
    // The first two readings (the full second and the wait) are `base`, later ones a second on.
    const sequence = new MsgidSequence(
      await newProcess(),
      CODE,
      schema.schema,
      () => new Date(reads++ < 2 ? base : base + 1000),
    );
    expect(await sequence.next()).toBe(`${CODE}${shanghaiSecondStamp(new Date(base + 1000))}0001`);
  });
});
