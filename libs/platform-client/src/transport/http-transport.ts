import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { endpointPath, type EndpointMode } from './endpoints';
import type { GatewaySigner } from './gateway-signers';
import {
  TransportFailure,
  type PlatformTransport,
  type TransportRequest,
  type TransportResponse,
} from './platform-transport';

export interface HttpTransportOptions {
  baseUrl: string;
  endpointMode: EndpointMode;
  servicePaths?: Readonly<Record<string, string>>;
  signer: GatewaySigner;
}

/**
 * An idle connection is closed after this long: below the 5 s most servers keep one open (Node's, many gateways'),
 * so a call never goes out on a connection the server is closing at that moment (a reset, an unknown outcome).
 */
const IDLE_CONNECTION_MS = 4_000;

/**
 * Direct HTTP(S) to the platform or its provincial gateway, with node:http over kept-alive connections. Not fetch:
 * its WHATWG streams cost 0.3–0.5 ms of CPU more per call here, and loading it ≈ 3 MiB of heap
 * (docs/benchmarks.md, 7 December 2026).
 */
export class HttpTransport implements PlatformTransport {
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(private readonly options: HttpTransportOptions) {
    const { protocol } = new URL(options.baseUrl);
    if (protocol !== 'http:' && protocol !== 'https:')
      throw new Error(`the platform's base URL must be http: or https:, not ${protocol}`);
    const secure = protocol === 'https:';
    this.request = secure ? https.request : http.request;
    this.agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, timeout: IDLE_CONNECTION_MS });
  }

  send(request: TransportRequest): Promise<TransportResponse> {
    const { baseUrl, endpointMode, servicePaths, signer } = this.options;
    const url = new URL(endpointPath(endpointMode, request.infno, servicePaths), baseUrl);
    const body = Buffer.from(request.body);
    return new Promise<TransportResponse>((resolve, reject) => {
      let settled = false;
      const fail = (failure: TransportFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(failure);
      };
      const req = this.request(url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json;charset=utf-8',
          'content-length': String(body.length),
          'accept-encoding': 'gzip, deflate',
          ...signer.sign({ infno: request.infno, body: request.body }),
        },
      });
      // One deadline for the whole exchange, so a platform that answers the headers and stalls the body still
      // counts as a timeout.
      const timer = setTimeout(() => {
        fail(new TransportFailure('timeout', `no answer within ${request.timeoutMs} ms`));
        req.destroy();
      }, request.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) =>
        fail(new TransportFailure('connection', err.code ?? err.message)),
      );
      req.on('response', (response) => {
        const status = response.statusCode ?? 0;
        // A redirect would carry the gateway's token headers to wherever it points, and a POST the platform
        // redirects is not one it answered: not followed, the call's outcome is unknown.
        if (status >= 300 && status < 400) {
          response.resume();
          fail(
            new TransportFailure(
              'connection',
              `redirect refused (HTTP ${status} to ${response.headers.location ?? 'nowhere'})`,
            ),
          );
          return;
        }
        // The connection cut off in the middle of the answer, or an answer its encoding does not decode.
        const cutOff = (err: NodeJS.ErrnoException) => {
          fail(new TransportFailure('connection', err.code ?? err.message));
          req.destroy();
        };
        const decoded = decoding(response);
        const chunks: Buffer[] = [];
        decoded.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', cutOff);
        if (decoded !== response) decoded.on('error', cutOff);
        decoded.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const bytes = Buffer.concat(chunks);
          resolve(
            status === 200 && isFileAnswer(response.headers['content-type'])
              ? { status, body: '', file: bytes }
              : // As fetch's text(): UTF-8, a byte-order mark dropped, malformed bytes replaced.
                { status, body: new TextDecoder().decode(bytes) },
          );
        });
      });
      req.end(body);
    });
  }
}

/** The answer's body as sent before any content encoding the server applied (gzip and deflate asked for). */
function decoding(response: http.IncomingMessage): NodeJS.ReadableStream {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return response.pipe(zlib.createInflate());
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  return response;
}

/** 9102 answers a download with the file itself (ZB checks for application/octet-stream); refusals are JSON. */
function isFileAnswer(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/octet-stream' || type === 'application/zip';
}
