// A TCP proxy that sits between the services and one piece of infrastructure (PostgreSQL, the Kafka broker, the
// platform) and breaks the path on demand: delays every byte, black-holes the connections (nothing passes and
// nothing closes, as a partition does) or resets them (as a stopped server or a failover does). Loopback only and
// bounded in time: every fault heals itself after its duration and the proxy closes itself after its lifetime.
import { createServer, Socket, type Server } from 'node:net';

export type ProxyFault = 'delay' | 'black-hole' | 'reset';

export interface FaultProxyOptions {
  /** What the proxy forwards to (loopback). */
  readonly upstream: { readonly host: string; readonly port: number };
  /**
   * The upstream is a Kafka broker: its Metadata and FindCoordinator answers name the broker's own address, which
   * clients then connect to directly; the proxy puts its own port there so that every connection goes through it.
   */
  readonly kafka?: boolean;
  /** The proxy closes itself after this long (default 2 h), whatever its owner does. */
  readonly lifetimeMs?: number;
  /** Names the proxy in errors. */
  readonly name?: string;
}

interface ActiveFault {
  readonly fault: ProxyFault;
  readonly delayMs: number;
  readonly until: number;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;
const DEFAULT_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** No fault lasts longer than this, whatever its caller asked (a harness must end). */
export const LONGEST_FAULT_MS = 30 * 60 * 1000;

/** Kafka API keys whose answers carry broker addresses (kafkajs 2.2.4 speaks their non-flexible versions only). */
const KAFKA_METADATA = 3;
const KAFKA_FIND_COORDINATOR = 10;

export class FaultProxy {
  private readonly connections = new Set<Socket>();
  private active: ActiveFault | undefined;
  private healTimer: NodeJS.Timeout | undefined;
  /** Resolves when the fault in force heals (held chunks wait on it). */
  private healed: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  private readonly lifetime: NodeJS.Timeout;
  private closed = false;
  /** Connections accepted since start, and those a fault reset: what a test reads to see the fault acted. */
  readonly stats = { accepted: 0, reset: 0 };

  private constructor(
    private readonly server: Server,
    private readonly options: FaultProxyOptions,
    readonly port: number,
  ) {
    this.lifetime = setTimeout(() => void this.close(), options.lifetimeMs ?? DEFAULT_LIFETIME_MS);
    this.lifetime.unref();
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    if (!LOOPBACK.test(options.upstream.host))
      throw new Error(`fault proxy ${options.name ?? ''}: upstream ${options.upstream.host} is not loopback`);
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');
    return new FaultProxy(server, options, address.port);
  }

  /** host:port the services use instead of the upstream's. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The fault in force now, if any. */
  get fault(): ProxyFault | undefined {
    return this.currentFault()?.fault;
  }

  private currentFault(): ActiveFault | undefined {
    return this.active && this.active.until > Date.now() ? this.active : undefined;
  }

  /**
   * Breaks the path for `forMs` (at most LONGEST_FAULT_MS), then heals it; resolves once healed.
   * delay: every chunk both ways is held `delayMs`. black-hole: nothing passes either way and nothing is closed;
   * new connections are accepted and left hanging. reset: open connections are reset (RST) and new ones reset
   * as they arrive.
   */
  async inject(fault: ProxyFault, forMs: number, delayMs = 0): Promise<void> {
    if (this.closed) throw new Error(`fault proxy ${this.options.name ?? ''} is closed`);
    const duration = Math.min(forMs, LONGEST_FAULT_MS);
    this.active = { fault, delayMs, until: Date.now() + duration };
    // A fault in force ends here: whoever waited for it to heal goes on.
    this.release();
    const healed = new Promise<void>((resolve) => (this.release = resolve));
    this.healed = healed;
    if (fault === 'reset') for (const socket of [...this.connections]) this.resetSocket(socket);
    clearTimeout(this.healTimer);
    this.healTimer = setTimeout(() => this.heal(), duration);
    return healed;
  }

  /** Ends the fault now. Black-holed connections stay as they are: their clients time them out, as after a partition. */
  heal(): void {
    clearTimeout(this.healTimer);
    this.active = undefined;
    this.release();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.heal();
    clearTimeout(this.lifetime);
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.stats.accepted += 1;
    if (this.currentFault()?.fault === 'reset') {
      this.stats.reset += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    this.connections.add(client);
    client.on('close', () => {
      this.connections.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    // A connection accepted while black-holed is never connected upstream: its client waits, as for a lost SYN.
    const connect = () => {
      if (client.destroyed) return;
      if (this.currentFault()?.fault === 'black-hole') {
        void this.healed.then(connect);
        return;
      }
      upstream.connect(this.options.upstream.port, this.options.upstream.host);
    };
    connect();
    const rewrite = this.options.kafka
      ? new KafkaAddressRewriter(this.options.upstream.port, this.port)
      : undefined;
    this.pipe(client, upstream, rewrite ? (chunk) => rewrite.fromClient(chunk) : undefined);
    this.pipe(upstream, client, rewrite ? (chunk) => rewrite.fromBroker(chunk) : undefined);
  }

  /**
   * Forwards `from` to `to` in order. A chunk that arrives during a delay leaves `delayMs` after it arrived; one
   * that arrives or waits during a black-hole is held until the fault heals (TCP would retransmit it then): by
   * that time its client has usually given up and closed the connection.
   */
  private pipe(from: Socket, to: Socket, transform?: (chunk: Buffer) => Buffer[]): void {
    let queue = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const fault = this.currentFault();
      const releaseAt = fault?.fault === 'delay' ? Date.now() + fault.delayMs : 0;
      const pieces = transform ? transform(chunk) : [chunk];
      queue = queue.then(async () => {
        while (this.currentFault()?.fault === 'black-hole') await this.healed;
        if (releaseAt > Date.now()) await new Promise((r) => setTimeout(r, releaseAt - Date.now()));
        for (const piece of pieces) if (!to.destroyed) to.write(piece);
      });
    });
  }

  private resetSocket(socket: Socket): void {
    this.stats.reset += 1;
    this.connections.delete(socket);
    socket.resetAndDestroy();
  }
}

/**
 * Follows Kafka's framing (int32 size, then the body) both ways: notes the API key of each request by its
 * correlation id, and in the answers to Metadata and FindCoordinator replaces the broker's port by the proxy's.
 * Only the port changes (same width), so no size needs rewriting.
 */
export class KafkaAddressRewriter {
  private fromClientBuffer: Buffer = Buffer.alloc(0);
  private fromBrokerBuffer: Buffer = Buffer.alloc(0);
  private readonly requests = new Map<number, { apiKey: number; apiVersion: number }>();

  constructor(
    private readonly brokerPort: number,
    private readonly proxyPort: number,
  ) {}

  fromClient(chunk: Buffer): Buffer[] {
    this.fromClientBuffer = Buffer.concat([this.fromClientBuffer, chunk]);
    const { complete, rest } = splitFrames(this.fromClientBuffer);
    this.fromClientBuffer = rest;
    for (const frame of complete) {
      // Request header: api_key int16, api_version int16, correlation_id int32.
      if (frame.length < 12) continue;
      const apiKey = frame.readInt16BE(4);
      if (apiKey === KAFKA_METADATA || apiKey === KAFKA_FIND_COORDINATOR)
        this.requests.set(frame.readInt32BE(8), { apiKey, apiVersion: frame.readInt16BE(6) });
    }
    return complete;
  }

  fromBroker(chunk: Buffer): Buffer[] {
    this.fromBrokerBuffer = Buffer.concat([this.fromBrokerBuffer, chunk]);
    const { complete, rest } = splitFrames(this.fromBrokerBuffer);
    this.fromBrokerBuffer = rest;
    for (const frame of complete) {
      if (frame.length < 8) continue;
      const correlationId = frame.readInt32BE(4);
      const request = this.requests.get(correlationId);
      if (!request) continue;
      this.requests.delete(correlationId);
      const ports =
        request.apiKey === KAFKA_METADATA
          ? metadataPortOffsets(frame, request.apiVersion)
          : findCoordinatorPortOffsets(frame, request.apiVersion);
      for (const at of ports)
        if (frame.readInt32BE(at) === this.brokerPort) frame.writeInt32BE(this.proxyPort, at);
    }
    return complete;
  }
}

function splitFrames(buffer: Buffer): { complete: Buffer[]; rest: Buffer } {
  const complete: Buffer[] = [];
  let at = 0;
  while (buffer.length - at >= 4) {
    const size = buffer.readInt32BE(at);
    if (buffer.length - at - 4 < size) break;
    complete.push(Buffer.from(buffer.subarray(at, at + 4 + size)));
    at += 4 + size;
  }
  return { complete, rest: Buffer.from(buffer.subarray(at)) };
}

/** Metadata v0–v6 answer: [throttle_time_ms (v3+)] brokers[node_id, host, port, rack (v1+)] … */
function metadataPortOffsets(frame: Buffer, version: number): number[] {
  let at = 8 + (version >= 3 ? 4 : 0);
  const brokers = frame.readInt32BE(at);
  at += 4;
  const ports: number[] = [];
  for (let i = 0; i < brokers; i += 1) {
    at += 4; // node_id
    at += 2 + frame.readInt16BE(at); // host
    ports.push(at);
    at += 4;
    if (version >= 1) {
      const rack = frame.readInt16BE(at);
      at += 2 + Math.max(rack, 0);
    }
  }
  return ports;
}

/** FindCoordinator v0–v2 answer: [throttle_time_ms (v1+)] error_code [error_message (v1+)] node_id host port. */
function findCoordinatorPortOffsets(frame: Buffer, version: number): number[] {
  let at = 8 + (version >= 1 ? 4 : 0);
  at += 2; // error_code
  if (version >= 1) {
    const message = frame.readInt16BE(at);
    at += 2 + Math.max(message, 0);
  }
  at += 4; // node_id
  at += 2 + frame.readInt16BE(at); // host
  return [at];
}
