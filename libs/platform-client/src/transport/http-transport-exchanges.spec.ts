import http from 'node:http';
import { type AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { HttpTransport } from './http-transport';
import { gatewaySignerFor } from './gateway-signers';

/** A loopback "platform" whose answer each test sets; it counts the TCP connections opened to it. */
describe('HttpTransport exchanges', () => {
  let answer: (request: http.IncomingMessage, response: http.ServerResponse) => void;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let connections = 0;
  const platform = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(request, response);
    });
  });
  platform.on('connection', () => connections++);

  beforeAll(() => new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise((resolve) => platform.close(resolve)));
  beforeEach(() => {
    received.length = 0;
    connections = 0;
    platform.closeAllConnections();
  });

  const transportTo = (baseUrl: string) =>
    new HttpTransport({ baseUrl, endpointMode: 'unified', signer: gatewaySignerFor({ kind: 'none' }) });
  const transport = () => transportTo(`http://127.0.0.1:${(platform.address() as AddressInfo).port}`);
  const json = (text: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => {
    answer = (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json;charset=utf-8', ...headers }).end(text);
  };

  it('sends the envelope byte for byte as UTF-8 JSON and returns the answer as text', async () => {
    json('{"infcode":0,"err_msg":"成功"}');
    const body = '{"infno":"2401","input":{"psn_name":"张三"}}';
    await expect(transport().send({ infno: '2401', body, timeoutMs: 5_000 })).resolves.toEqual({
      status: 200,
      body: '{"infcode":0,"err_msg":"成功"}',
    });
    expect(received).toHaveLength(1);
    expect(received[0].body).toBe(body);
    expect(received[0].headers['content-type']).toBe('application/json;charset=utf-8');
    expect(Number(received[0].headers['content-length'])).toBe(Buffer.byteLength(body));
  });

  it('keeps the connection open between calls: the next call goes out on it', async () => {
    json('{"infcode":0}');
    const client = transport();
    for (let i = 0; i < 3; i++) await client.send({ infno: '1101', body: '{}', timeoutMs: 5_000 });
    expect(received).toHaveLength(3);
    expect(connections).toBe(1);
  });

  it('reads an answer the server compressed (gzip, deflate), and drops a byte-order mark as fetch did', async () => {
    json(zlib.gzipSync('{"infcode":0,"output":{"a":"甲"}}'), { 'content-encoding': 'gzip' });
    await expect(transport().send({ infno: '1101', body: '{}', timeoutMs: 5_000 })).resolves.toMatchObject({
      body: '{"infcode":0,"output":{"a":"甲"}}',
    });
    expect(received[0].headers['accept-encoding']).toBe('gzip, deflate');
    json(zlib.deflateSync('\uFEFF{"infcode":-1}'), { 'content-encoding': 'deflate' });
    await expect(transport().send({ infno: '1101', body: '{}', timeoutMs: 5_000 })).resolves.toMatchObject({
      body: '{"infcode":-1}',
    });
  });

  it('returns a file answer as bytes', async () => {
    const file = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00]);
    answer = (_request, response) => response.writeHead(200, { 'content-type': 'application/zip' }).end(file);
    await expect(transport().send({ infno: '9102', body: '{}', timeoutMs: 5_000 })).resolves.toEqual({
      status: 200,
      body: '',
      file,
    });
  });

  it('times out a platform that answers the headers and stalls the body', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"infcode":');
    };
    await expect(transport().send({ infno: '2301', body: '{}', timeoutMs: 300 })).rejects.toMatchObject({
      name: 'TransportFailure',
      kind: 'timeout',
      message: 'no answer within 300 ms',
    });
  });

  it('waits for an answer slower than the idle connection limit (4 s) within the call timeout', async () => {
    answer = (_request, response) => setTimeout(() => response.end('{"infcode":0}'), 4_500);
    await expect(transport().send({ infno: '2304', body: '{}', timeoutMs: 8_000 })).resolves.toMatchObject({
      body: '{"infcode":0}',
    });
  }, 15_000);

  it('reports a connection cut off in the middle of the answer as a connection failure (outcome unknown)', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"infcode":0', () => response.socket?.destroy());
    };
    await expect(transport().send({ infno: '2303', body: '{}', timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'TransportFailure',
      kind: 'connection',
    });
  });

  it('reports a compressed answer cut off, or one that does not decode, as a connection failure', async () => {
    const gzipped = zlib.gzipSync('{"infcode":0,"output":{"result":[]}}');
    answer = (_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(gzipped.length) });
      response.write(gzipped.subarray(0, 12), () => response.socket?.destroy());
    };
    await expect(transport().send({ infno: '2301', body: '{}', timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'TransportFailure',
      kind: 'connection',
    });
    json('not gzip at all', { 'content-encoding': 'gzip' });
    await expect(transport().send({ infno: '2301', body: '{}', timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'TransportFailure',
      kind: 'connection',
      message: 'Z_DATA_ERROR',
    });
  });

  it('reports a refused connection as a connection failure', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = transportTo(`http://127.0.0.1:${port}`);
    await expect(client.send({ infno: '1101', body: '{}', timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'TransportFailure',
      kind: 'connection',
      message: 'ECONNREFUSED',
    });
  });

  it('refuses a base URL that is not http: or https:', () => {
    expect(() => transportTo('ftp://127.0.0.1/')).toThrow(/must be http: or https:, not ftp:/);
  });
});
