import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { sm3 } from 'sm-crypto';
import type { GatewayConfig } from '../config';

/** What a signer sees of the request. */
export interface GatewayRequest {
  infno: string;
  /** The exact body bytes as text. */
  body: string;
}

/** Adds the region's gateway authentication headers (spec §1.4); `verify` is the gateway's side. */
export interface GatewaySigner {
  readonly kind: string;
  sign(request: GatewayRequest, now?: Date): Record<string, string>;
  /** Header names in lower case, as Node's HTTP server presents them. */
  verify(headers: Record<string, string | string[] | undefined>, body: string, now?: Date): boolean;
}

/** Timestamps further from the verifier's clock than this are refused (replay guard). */
const MAX_SKEW_SECONDS = 300;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function fresh(unixSeconds: number, now: Date): boolean {
  return Number.isFinite(unixSeconds) && Math.abs(now.getTime() / 1000 - unixSeconds) <= MAX_SKEW_SECONDS;
}

/** Direct connection or a local client component that signs by itself. */
export class NoGatewaySigner implements GatewaySigner {
  readonly kind = 'none';
  sign(): Record<string, string> {
    return {};
  }
  verify(): boolean {
    return true;
  }
}

/** TIF gateway: signature = SHA-256 hex of timestamp + paasToken + nonce + timestamp (seconds). */
export class TifGatewaySigner implements GatewaySigner {
  readonly kind = 'tif';
  constructor(
    private readonly paasid: string,
    private readonly token: string,
  ) {}

  private signature(timestamp: string, nonce: string): string {
    return createHash('sha256').update(`${timestamp}${this.token}${nonce}${timestamp}`, 'utf8').digest('hex');
  }

  sign(_request: GatewayRequest, now = new Date()): Record<string, string> {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const nonce = randomUUID().replace(/-/g, '');
    return {
      'x-tif-paasid': this.paasid,
      'x-tif-timestamp': timestamp,
      'x-tif-nonce': nonce,
      'x-tif-signature': this.signature(timestamp, nonce),
    };
  }

  verify(headers: Record<string, string | string[] | undefined>, _body: string, now = new Date()): boolean {
    const timestamp = header(headers, 'x-tif-timestamp');
    const nonce = header(headers, 'x-tif-nonce');
    const signature = header(headers, 'x-tif-signature');
    if (header(headers, 'x-tif-paasid') !== this.paasid || !timestamp || !nonce || !signature) return false;
    return (
      fresh(Number(timestamp), now) && sameText(signature.toLowerCase(), this.signature(timestamp, nonce))
    );
  }
}

/** Alibaba CSB: `_api_signature` = Base64 HMAC-SHA1 over the sorted `_api_*` parameters. */
export class CsbGatewaySigner implements GatewaySigner {
  readonly kind = 'csb';
  constructor(
    private readonly accessKey: string,
    private readonly secretKey: string,
    private readonly apiVersion: string,
  ) {}

  private signature(name: string, timestamp: string): string {
    const text = `_api_access_key=${this.accessKey}&_api_name=${name}&_api_timestamp=${timestamp}&_api_version=${this.apiVersion}`;
    return createHmac('sha1', this.secretKey).update(text, 'utf8').digest('base64');
  }

  sign(request: GatewayRequest, now = new Date()): Record<string, string> {
    const timestamp = String(now.getTime());
    return {
      _api_name: request.infno,
      _api_version: this.apiVersion,
      _api_timestamp: timestamp,
      _api_access_key: this.accessKey,
      _api_signature: this.signature(request.infno, timestamp),
    };
  }

  verify(headers: Record<string, string | string[] | undefined>, _body: string, now = new Date()): boolean {
    const name = header(headers, '_api_name');
    const timestamp = header(headers, '_api_timestamp');
    const signature = header(headers, '_api_signature');
    if (header(headers, '_api_access_key') !== this.accessKey) return false;
    if (header(headers, '_api_version') !== this.apiVersion || !name || !timestamp || !signature)
      return false;
    return fresh(Number(timestamp) / 1000, now) && sameText(signature, this.signature(name, timestamp));
  }
}

/** Zhejiang: x-ca-signature = "{seconds}:" + UPPERHEX(HMAC-SM3(secret, "{seconds}\n" + body)). */
export class ZhejiangGatewaySigner implements GatewaySigner {
  readonly kind = 'zhejiang';
  constructor(
    private readonly key: string,
    private readonly secret: string,
  ) {}

  private mac(timestamp: string, body: string): string {
    const key = Array.from(Buffer.from(this.secret, 'utf8'));
    return sm3(`${timestamp}\n${body}`, { key, mode: 'hmac' }).toUpperCase();
  }

  sign(request: GatewayRequest, now = new Date()): Record<string, string> {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    return { 'x-ca-key': this.key, 'x-ca-signature': `${timestamp}:${this.mac(timestamp, request.body)}` };
  }

  verify(headers: Record<string, string | string[] | undefined>, body: string, now = new Date()): boolean {
    const signature = header(headers, 'x-ca-signature');
    if (header(headers, 'x-ca-key') !== this.key || !signature) return false;
    const [timestamp, mac] = signature.split(':');
    if (!timestamp || !mac) return false;
    return fresh(Number(timestamp), now) && sameText(mac.toUpperCase(), this.mac(timestamp, body));
  }
}

export function gatewaySignerFor(config: GatewayConfig): GatewaySigner {
  switch (config.kind) {
    case 'none':
      return new NoGatewaySigner();
    case 'tif':
      return new TifGatewaySigner(config.paasid, config.token);
    case 'csb':
      return new CsbGatewaySigner(config.accessKey, config.secretKey, config.apiVersion);
    case 'zhejiang':
      return new ZhejiangGatewaySigner(config.key, config.secret);
  }
}
