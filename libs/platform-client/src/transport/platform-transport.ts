/** One exchange with the platform: the envelope as JSON text out, the answer as text back. */
export interface TransportRequest {
  infno: string;
  /** The serialised request envelope, sent byte for byte. */
  body: string;
  timeoutMs: number;
}

export interface TransportResponse {
  /** HTTP status, or 200 for transports without one (a vendor's local client component). */
  status: number;
  body: string;
  /**
   * The body as bytes when the platform answered a file (9102: `application/octet-stream`, spec part 2 §4.2)
   * instead of an envelope; `body` is then empty.
   */
  file?: Buffer;
}

/**
 * How envelopes reach the platform: HTTPS (HttpTransport) or a vendor's local client component. `send`
 * resolves with whatever came back, and rejects with TransportFailure when no answer arrived; either way the
 * client, not the transport, decides the outcome.
 */
export interface PlatformTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** No answer: `timeout`, `connection` (reset, refused, DNS …). The platform may or may not have acted. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'connection',
    message: string,
  ) {
    super(message);
    this.name = 'TransportFailure';
  }
}
