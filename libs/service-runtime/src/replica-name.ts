import { hostname } from 'node:os';
import { Client } from 'pg';
import { type Logger } from 'pino';

/** How long a start waits for the session of a killed predecessor under the same name to go. */
const PREDECESSOR_WAIT_MS = 10_000;
const RETRY_MS = 250;
const REHOLD_MS = 5_000;

/** Another live process of the service holds this replica's name (REPLICA_ID given twice). */
export class ReplicaNameInUseError extends Error {
  constructor(
    readonly replicaId: string,
    readonly holder: string,
  ) {
    super(
      `REPLICA_ID "${replicaId}" is held by another live process of this service (${holder}): each replica needs ` +
        'a name of its own, or one releases the leases the other holds at its start (docs/replicas.md)',
    );
  }
}

/**
 * Holds the replica's name (ServiceConfig.replicaId) for the life of the process: a session-level PostgreSQL
 * advisory lock on (schema, name), on a connection of its own. Leases name their holder by this name, and a
 * starting process releases the leases its name holds (a killed predecessor's), which is only safe while no other
 * live process has the name: a second one is refused at start instead. A killed process's session ends with its
 * socket, so its restart under the same name finds the name free (it waits a few seconds for that).
 */
export class ReplicaName {
  private client: Client | null = null;
  private stopped = false;
  private rehold: NodeJS.Timeout | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
    readonly replicaId: string,
    private readonly logger?: Logger,
  ) {}

  private get key(): string {
    return `replica:${this.schema}:${this.replicaId}`;
  }

  /** Takes the name, waiting out a predecessor's session for a few seconds; ReplicaNameInUseError if it stays. */
  async hold(): Promise<void> {
    const client = new Client({
      connectionString: this.databaseUrl,
      // Names this process in pg_stat_activity, so that a refused twin's error says who holds the name.
      application_name: `${this.replicaId} pid ${process.pid}@${hostname()}`.slice(0, 63),
    });
    await client.connect();
    try {
      const giveUpAt = Date.now() + PREDECESSOR_WAIT_MS;
      while (!(await this.tryLock(client))) {
        if (Date.now() > giveUpAt) throw new ReplicaNameInUseError(this.replicaId, await this.holder(client));
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      // Released while this hold (a re-hold after a dropped connection) was under way: let the name go again.
      await client.end().catch(() => undefined);
      return;
    }
    client.on('error', (err) => this.lost(client, err));
    this.client = client;
  }

  /** Lets the name go (a clean shutdown; a killed process lets it go with its connection). */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.rehold) clearTimeout(this.rehold);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async tryLock(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ held: boolean }>(
      'select pg_try_advisory_lock(hashtextextended($1, 0)) as held',
      [this.key],
    );
    return rows[0]!.held;
  }

  private async holder(client: Client): Promise<string> {
    const { rows } = await client.query<{ application_name: string; pid: number }>(
      `select a.application_name, a.pid from pg_locks l join pg_stat_activity a using (pid)
        where l.locktype = 'advisory' and l.objsubid = 1 and l.granted
          and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
      [this.key],
    );
    const row = rows[0];
    return row ? `"${row.application_name}", PostgreSQL backend ${row.pid}` : 'it has just gone';
  }

  /** The connection dropped (PostgreSQL restarted): the name is taken again once PostgreSQL answers. */
  private lost(client: Client, err: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    void client.end().catch(() => undefined);
    this.logger?.warn({ err }, 'replica name lost with its PostgreSQL connection: taking it again');
    const again = (): void => {
      this.rehold = setTimeout(() => {
        this.rehold = null;
        if (this.stopped) return;
        this.hold().then(
          () => this.logger?.info('replica name held again'),
          (error: unknown) => {
            // Another process took the name meanwhile: its leases and ours now share a holder; said loudly.
            const log = error instanceof ReplicaNameInUseError ? 'error' : 'warn';
            this.logger?.[log]({ err: error }, 'replica name not held again yet');
            again();
          },
        );
      }, REHOLD_MS);
    };
    again();
  }
}
