import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { HttpTransport } from './http-transport';
import { gatewaySignerFor } from './gateway-signers';

// Two loopback servers: the "gateway" redirects every POST to the "elsewhere" server, which records what reaches it.
describe('HttpTransport and redirects', () => {
  const reachedElsewhere: http.IncomingHttpHeaders[] = [];
  const elsewhere = http.createServer((request, response) => {
    reachedElsewhere.push(request.headers);
    response.end('{"infcode":0}');
  });
  const gateway = http.createServer((_request, response) => {
    const { port } = elsewhere.address() as AddressInfo;
    response.writeHead(307, { location: `http://127.0.0.1:${port}/steal` }).end();
  });
  const listen = (server: http.Server) =>
    new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  beforeAll(async () => {
    await listen(elsewhere);
    await listen(gateway);
  });
  afterAll(() => {
    elsewhere.close();
    gateway.close();
  });

  it('refuses a redirect: the gateway token never reaches the other server, and the outcome is unknown', async () => {
    const transport = new HttpTransport({
      baseUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
      endpointMode: 'unified',
      signer: gatewaySignerFor({ kind: 'tif', paasid: 'hospital', token: 'tif-secret-token' }),
    });
    await expect(transport.send({ infno: '2401', body: '{}', timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'TransportFailure',
      kind: 'connection',
      message: expect.stringMatching(/^redirect refused \(HTTP 307 to http:\/\/127\.0\.0\.1:\d+\/steal\)$/),
    });
    expect(reachedElsewhere).toEqual([]);
  });
});
