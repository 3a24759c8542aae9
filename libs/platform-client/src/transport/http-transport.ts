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

/** Direct HTTPS to the platform or its provincial gateway, with Node's fetch. */
export class HttpTransport implements PlatformTransport {
  constructor(private readonly options: HttpTransportOptions) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    const { baseUrl, endpointMode, servicePaths, signer } = this.options;
    const url = new URL(endpointPath(endpointMode, request.infno, servicePaths), baseUrl).toString();
    // One signal for the whole exchange, so a platform that answers the headers and stalls the body still
    // counts as a timeout.
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json;charset=utf-8',
          ...signer.sign({ infno: request.infno, body: request.body }),
        },
        // The same UTF-8 bytes fetch would send for the string, without its copy of the string first (toUSVString).
        body: Buffer.from(request.body),
        signal,
        // A redirect would carry the gateway's token headers to wherever it points, and a POST the platform
        // redirects is not one it answered: not followed, the call's outcome is unknown.
        redirect: 'manual',
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new TransportFailure(
          'connection',
          `redirect refused (HTTP ${response.status} to ${response.headers.get('location') ?? 'nowhere'})`,
        );
      }
      if (response.status === 200 && isFileAnswer(response.headers.get('content-type'))) {
        return { status: response.status, body: '', file: Buffer.from(await response.arrayBuffer()) };
      }
      return { status: response.status, body: await response.text() };
    } catch (err) {
      if (err instanceof TransportFailure) throw err;
      if (signal.aborted) throw new TransportFailure('timeout', `no answer within ${request.timeoutMs} ms`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new TransportFailure('connection', cause?.code ?? cause?.message ?? (err as Error).message);
    }
  }
}

/** 9102 answers a download with the file itself (ZB checks for application/octet-stream); refusals are JSON. */
function isFileAnswer(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/octet-stream' || type === 'application/zip';
}
