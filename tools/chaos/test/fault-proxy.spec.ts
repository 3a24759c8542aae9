import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createTopicsWithLeaders, databaseUrl, kafkaBrokers, uniqueName } from '@yb/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { FaultProxy } from '../src/fault-proxy';

// The fault proxy on real sockets: an echo server, PostgreSQL, the Kafka broker and an HTTP server behind it.

const portOf = (server: Server | HttpServer) => (server.address() as AddressInfo).port;

async function listening<T extends Server | HttpServer>(server: T): Promise<T> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Connects to the proxy and collects what comes back; `closed` settles with the error that ended it, if any. */
async function clientOf(proxy: FaultProxy) {
  const socket = connect(proxy.port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  const closed = new Promise<Error | undefined>((resolve) => {
    socket.on('error', (err) => resolve(err));
    socket.on('close', () => resolve(undefined));
  });
  return { socket, received: () => received, closed };
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('FaultProxy on an echo server', () => {
  let echo: Server;
  const upstreamSockets: Socket[] = [];
  let proxy: FaultProxy;

  beforeEach(async () => {
    echo = await listening(
      createServer((socket) => {
        upstreamSockets.push(socket);
        socket.on('error', () => undefined);
        socket.pipe(socket);
      }),
    );
    upstreamSockets.length = 0;
    proxy = await FaultProxy.start({ upstream: { host: '127.0.0.1', port: portOf(echo) }, name: 'echo' });
  });

  afterEach(async () => {
    await proxy.close();
    for (const s of upstreamSockets) s.destroy();
    echo.close();
  });

  it('passes bytes both ways when no fault is in force', async () => {
    const client = await clientOf(proxy);
    client.socket.write('ping');
    await until(() => client.received() === 'ping');
    client.socket.destroy();
  });

  it('holds every chunk for the delay, then heals by itself', async () => {
    const client = await clientOf(proxy);
    const healed = proxy.inject('delay', 1500, 400);
    const sent = Date.now();
    client.socket.write('slow');
    await until(() => client.received() === 'slow');
    // Both ways are delayed: at least two delays before the echo is back.
    expect(Date.now() - sent).toBeGreaterThanOrEqual(790);
    await healed;
    expect(proxy.fault).toBeUndefined();
    const quick = Date.now();
    client.socket.write('fast');
    await until(() => client.received() === 'slowfast');
    expect(Date.now() - quick).toBeLessThan(400);
    client.socket.destroy();
  });

  it('black-holes: nothing passes and nothing closes; a new connection never reaches the upstream', async () => {
    const client = await clientOf(proxy);
    await until(() => upstreamSockets.length === 1);
    const healed = proxy.inject('black-hole', 1000);
    client.socket.write('lost?');
    const late = await clientOf(proxy);
    await new Promise((r) => setTimeout(r, 600));
    expect(client.received()).toBe('');
    expect(upstreamSockets).toHaveLength(1);
    expect(client.socket.destroyed).toBe(false);
    await healed;
    // Held, not dropped: the bytes go on once the path is back (as TCP retransmits), and the late one connects.
    await until(() => client.received() === 'lost?');
    await until(() => upstreamSockets.length === 2);
    client.socket.destroy();
    late.socket.destroy();
  });

  it('resets open connections and every new one while the fault lasts', async () => {
    const open = await clientOf(proxy);
    const healed = proxy.inject('reset', 800);
    expect(await open.closed).toMatchObject({ code: 'ECONNRESET' });
    const during = connect(proxy.port, '127.0.0.1');
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      during.on('error', resolve);
      during.on('close', () => resolve(undefined));
    });
    expect(error?.code).toBe('ECONNRESET');
    expect(proxy.stats.reset).toBe(2);
    await healed;
    const after = await clientOf(proxy);
    after.socket.write('back');
    await until(() => after.received() === 'back');
    after.socket.destroy();
  });

  it('refuses a non-loopback upstream and never outlives its lifetime', async () => {
    await expect(FaultProxy.start({ upstream: { host: '10.0.0.1', port: 5432 } })).rejects.toThrow(
      /not loopback/,
    );
    const shortLived = await FaultProxy.start({
      upstream: { host: '127.0.0.1', port: portOf(echo) },
      lifetimeMs: 300,
    });
    await new Promise((r) => setTimeout(r, 500));
    const refused = connect(shortLived.port, '127.0.0.1');
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => refused.on('error', resolve));
    expect(error.code).toBe('ECONNREFUSED');
  });
});

describe('FaultProxy in front of PostgreSQL', () => {
  it('answers queries, fails them while reset, and takes new connections once healed', async () => {
    const url = new URL(databaseUrl());
    const proxy = await FaultProxy.start({
      upstream: { host: url.hostname, port: Number(url.port || 5432) },
      name: 'postgres',
    });
    const through = new URL(url);
    through.port = String(proxy.port);
    try {
      const client = new Client({ connectionString: through.toString() });
      client.on('error', () => undefined);
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const healed = proxy.inject('reset', 1000);
      await expect(client.query('SELECT 1')).rejects.toThrow();
      const during = new Client({ connectionString: through.toString(), connectionTimeoutMillis: 2000 });
      await expect(during.connect()).rejects.toThrow();
      await healed;
      const after = new Client({ connectionString: through.toString() });
      await after.connect();
      expect((await after.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
      await after.end();
    } finally {
      await proxy.close();
    }
  });
});

describe('FaultProxy in front of the Kafka broker', () => {
  it('keeps every connection of a client on the proxy, so that a reset stops it and a heal brings it back', async () => {
    const [host, port] = kafkaBrokers()[0]!.split(':');
    const proxy = await FaultProxy.start({
      upstream: { host: host!, port: Number(port) },
      kafka: true,
      name: 'kafka',
    });
    const kafka = new Kafka({
      clientId: 'fault-proxy-test',
      brokers: [proxy.address],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 1000,
      requestTimeout: 2000,
    });
    const topic = uniqueName('fault-proxy');
    const admin = kafka.admin();
    const producer = kafka.producer({ retry: { retries: 0 } });
    try {
      await admin.connect();
      await createTopicsWithLeaders(admin, [{ topic, numPartitions: 1 }]);
      // The broker names itself in Metadata: the answer the client got names the proxy instead.
      const { brokers } = await admin.describeCluster();
      expect(brokers.map((b) => `${b.host}:${b.port}`)).toEqual([proxy.address]);
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'before' }] });
      const healed = proxy.inject('reset', 3000);
      // Had the client reached the broker directly after the bootstrap, this send would pass.
      await expect(producer.send({ topic, acks: -1, messages: [{ value: 'during' }] })).rejects.toThrow();
      await healed;
      let sent = false;
      for (let attempt = 0; attempt < 20 && !sent; attempt += 1) {
        sent = await producer
          .send({ topic, messages: [{ value: 'after' }] })
          .then(() => true)
          .catch(() => new Promise<boolean>((r) => setTimeout(() => r(false), 250)));
      }
      expect(sent).toBe(true);
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets[0]!.high).toBe('2');
      expect(proxy.stats.accepted).toBeGreaterThanOrEqual(2);
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await proxy.close();
    }
  }, 60_000);
});

describe('FaultProxy in front of an HTTP server (the platform)', () => {
  it('lets a request time out while black-holed and answers again once healed', async () => {
    const http = await listening(createHttpServer((_req, res) => res.end('{"infcode":0}')));
    const proxy = await FaultProxy.start({
      upstream: { host: '127.0.0.1', port: portOf(http) },
      name: 'platform',
    });
    const url = `http://${proxy.address}/fsi/api/rsfComIfsService/callService`;
    try {
      expect(await (await fetch(url)).text()).toBe('{"infcode":0}');
      const healed = proxy.inject('black-hole', 1500);
      await expect(fetch(url, { signal: AbortSignal.timeout(700) })).rejects.toThrow(/aborted|timeout/i);
      await healed;
      expect(await (await fetch(url, { signal: AbortSignal.timeout(3000) })).text()).toBe('{"infcode":0}');
    } finally {
      await proxy.close();
      http.closeAllConnections();
      http.close();
    }
  });
});
