import { Client, type ClientConfig } from 'pg';
import { type DataSource } from 'typeorm';

export interface OutboxNotificationListenerOptions {
  /** Notifications with this payload are not passed on (the caller hears of those otherwise). */
  ignoredPayload: string;
  /** Wait before connecting again after the connection failed or dropped (ms). */
  reconnectDelayMs: number;
  /** Told when the connection fails or drops; it is connected again after reconnectDelayMs. */
  onError: (error: unknown) => void;
}

/**
 * LISTENs on a channel over a connection of its own (a pooled one would be handed to others), calling
 * `onNotified` for each notification, and once after each (re)connection: what was sent while nobody
 * listened is lost, so the caller should look for work then.
 */
export class OutboxNotificationListener {
  private client: Client | null = null;
  private stopped = true;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly onNotified: () => void,
    private readonly options: OutboxNotificationListenerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(clientConfigOf(this.dataSource));
    this.client = client;
    client.on('notification', (notification) => {
      const ignored = notification.payload === this.options.ignoredPayload;
      if (notification.channel === this.channel && !ignored) this.onNotified();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the LISTEN connection ended')));
    try {
      await client.connect();
      // The channel is "outbox:" and a checked schema name: nothing in it needs escaping.
      await client.query(`LISTEN "${this.channel}"`);
      if (this.client === client) this.onNotified();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.options.onError(error);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) void this.connect();
    }, this.options.reconnectDelayMs);
  }
}

/** The connection settings of the data source's pool, for one connection outside it. */
function clientConfigOf(dataSource: DataSource): ClientConfig {
  const options = dataSource.options;
  if (options.type !== 'postgres') throw new TypeError('the outbox relay needs a postgres data source');
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    ssl: options.ssl as ClientConfig['ssl'],
    application_name: `${options.applicationName ?? 'event-store'}:outbox-listen`,
    keepAlive: true,
  };
}
