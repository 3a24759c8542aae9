import {
  parsePlatformClientConfig,
  PLATFORM_CLIENT_MIGRATIONS,
  PlatformCallRecord,
  PlatformClient,
  type PlatformClientConfigInput,
  type TypedInfno,
} from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';
import { createTestSchema, type TestSchema } from '@yb/testing';
import { DataSource } from 'typeorm';
import type { LedgerSnapshot, VisitSnapshot } from '../src/ledger/ledger-snapshot';
import {
  startPlatformSim,
  type RunningPlatformSim,
  type StartPlatformSimOptions,
} from '../src/sim.bootstrap';

/** The seeded person of the interface examples. */
export const EXAMPLE_PSN_NO = INTERFACE_EXAMPLES['2404'].input.data.psn_no as string;
const EXAMPLE_MDTRT_ID = INTERFACE_EXAMPLES['2404'].input.data.mdtrt_id as string;
const EXAMPLE_SETL_ID = INTERFACE_EXAMPLES['2305'].input.data.setl_id as string;

type SimOptions = Omit<StartPlatformSimOptions, 'books'>;

/**
 * A simulator on a free loopback port with its books in a throw-away schema, another throw-away schema for
 * the client's journal and msgid counter, and PlatformClients pointed at the simulator over real HTTP.
 */
export class SimClientKit {
  sim!: RunningPlatformSim;
  schema!: TestSchema;
  /** The simulator's books (its transaction log). */
  simSchema!: TestSchema;
  dataSource!: DataSource;
  private readonly clients: PlatformClient[] = [];
  private simOptions: SimOptions = {};

  async start(label: string, simOptions: SimOptions = {}): Promise<void> {
    this.simSchema = await createTestSchema(`${label}_sim`);
    this.simOptions = simOptions;
    this.sim = await this.startSim(0);
    this.schema = await createTestSchema(label);
    this.dataSource = new DataSource({
      type: 'postgres',
      url: this.schema.databaseUrl,
      schema: this.schema.schema,
      entities: [PlatformCallRecord],
      migrations: PLATFORM_CLIENT_MIGRATIONS,
      poolSize: 4,
    });
    await this.dataSource.initialize();
    await this.dataSource.runMigrations();
  }

  async stop(): Promise<void> {
    for (const client of this.clients) await client.stop().catch(() => undefined);
    await this.sim?.close();
    await this.dataSource?.destroy();
    await this.schema?.drop();
    await this.simSchema?.drop();
  }

  /** Stops the simulator and starts another on the same books and port, as a second `npm start` would. */
  async restartSim(): Promise<void> {
    const port = Number(new URL(this.sim.url).port);
    await this.sim.close();
    this.sim = await this.startSim(port);
  }

  private startSim(port: number): Promise<RunningPlatformSim> {
    const books = {
      databaseUrl: this.simSchema.databaseUrl,
      schema: this.simSchema.schema,
      acceptReplayMismatch: false,
    };
    return startPlatformSim({ port, ...this.simOptions, books });
  }

  async client(overrides: Partial<PlatformClientConfigInput> = {}): Promise<PlatformClient> {
    const config = parsePlatformClientConfig({
      baseUrl: this.sim.url,
      fixmedins_code: 'H42010200123',
      fixmedins_name: '武汉市某某医院',
      mdtrtarea_admvs: '420100',
      operator: { opter_type: '1', opter: 'OP001', opter_name: '张收费', ip: '127.0.0.1' },
      msgidSchema: this.schema.schema,
      timeoutMs: 5_000,
      ...overrides,
    });
    const client = new PlatformClient({ config, dataSource: this.dataSource });
    this.clients.push(client);
    await client.start();
    return client;
  }

  async admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await fetch(`${this.sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  async armFault(fault: Record<string, unknown>): Promise<void> {
    const { status, json } = await this.admin('POST', '/sim/faults', fault);
    if (status !== 201)
      throw new Error(`arming ${JSON.stringify(fault)} failed: ${status} ${JSON.stringify(json)}`);
  }

  async ledger(): Promise<LedgerSnapshot> {
    return (await this.admin<LedgerSnapshot>('GET', '/sim/ledger')).json;
  }

  async visit(mdtrt_id: string): Promise<VisitSnapshot> {
    return (await this.admin<VisitSnapshot>('GET', `/sim/ledger/visits/${mdtrt_id}`)).json;
  }
}

/**
 * The example input of an interface, with the example visit and settlement ids replaced by real ones and
 * any field overridden at the top of its node.
 */
export function exampleInput<I extends TypedInfno>(
  infno: I,
  ids: { mdtrt_id?: string; setl_id?: string } = {},
): Record<string, unknown> {
  const replace = (value: unknown): unknown => {
    if (value === EXAMPLE_MDTRT_ID && ids.mdtrt_id) return ids.mdtrt_id;
    if (value === EXAMPLE_SETL_ID && ids.setl_id) return ids.setl_id;
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    }
    return value;
  };
  return replace(structuredClone(INTERFACE_EXAMPLES[infno].input)) as Record<string, unknown>;
}

/** Sets fields of the input's first node (an object, or the first row of an array). */
export function withFields(input: Record<string, unknown>, node: string, fields: Record<string, unknown>) {
  const target = input[node];
  const row = Array.isArray(target) ? target[0] : target;
  Object.assign(row as object, fields);
  return input;
}
