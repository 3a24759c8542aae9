import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { sealEnvelope, unsealEnvelope } from '../src/crypto/envelope-seal';
import type { RequestEnvelope } from '../src/envelope';
import type { GatewaySigner } from '../src/transport/gateway-signers';

/** How the scripted platform answers one request. */
export type Reply =
  | { kind: 'ok'; output?: unknown }
  | { kind: 'reject'; err_msg: string; infcode?: number }
  | { kind: 'timeout' }
  | { kind: 'reset' }
  | { kind: 'http'; status: number; body: string }
  | { kind: 'bad-signature'; output?: unknown };

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The envelope after verifying the hospital's SM2 signature and decrypting `input`. */
  envelope: RequestEnvelope;
  gatewayVerified: boolean;
}

export interface PlatformKeys {
  sm4Key: string;
  hospitalPublicKey: string;
  platformPrivateKey: string;
  foreignPrivateKey: string;
}

/**
 * A real HTTP server in the test process standing in for the platform, answering from a script per infno;
 * unscripted sign-in/out and 2601 succeed. It checks what a real gateway checks (headers, SM2, SM4).
 */
export class ScriptedPlatform {
  readonly received: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private readonly server: Server;
  private signIns = 0;

  constructor(
    private readonly signer: GatewaySigner,
    private readonly keys: PlatformKeys,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          this.answer(req, res, body);
        } catch (err) {
          // A request the platform cannot read: say why, so the test fails on the cause.
          res.writeHead(400).end(JSON.stringify({ infcode: -1, err_msg: (err as Error).message }));
        }
      });
    });
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const keys = this.keys;
    const envelope = unsealEnvelope(JSON.parse(body) as Record<string, unknown>, 'input', {
      sm4Key: keys.sm4Key,
      sm2PublicKey: keys.hospitalPublicKey,
    }) as unknown as RequestEnvelope;
    const gatewayVerified = this.signer.verify(req.headers, body);
    this.received.push({ path: req.url ?? '', headers: req.headers, envelope, gatewayVerified });
    const reply = this.scripts.get(envelope.infno)?.shift() ?? this.defaultReply(envelope.infno);
    const answer = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(text);
    };
    const envelopeOf = (infcode: number, output: unknown, err_msg: string | null) => ({
      infcode,
      inf_refmsgid: `420000${Date.now()}`,
      err_msg,
      warn_msg: null,
      cainfo: null,
      signtype: null,
      output,
    });
    switch (reply.kind) {
      case 'ok':
        return answer(200, JSON.stringify(this.seal(envelopeOf(0, reply.output ?? {}, 'success'))));
      case 'reject':
        return answer(200, JSON.stringify(this.seal(envelopeOf(reply.infcode ?? -1, null, reply.err_msg))));
      case 'bad-signature':
        return answer(
          200,
          JSON.stringify(
            sealEnvelope(envelopeOf(0, reply.output ?? {}, 'success'), 'output', {
              sm4Key: keys.sm4Key,
              sm2PrivateKey: keys.foreignPrivateKey,
            }),
          ),
        );
      case 'http':
        return answer(reply.status, reply.body);
      case 'reset':
        req.socket.destroy();
        return;
      case 'timeout':
        return; // never answers; close() ends the connection
    }
  }

  private seal(envelope: Record<string, unknown>) {
    return sealEnvelope(envelope, 'output', {
      sm4Key: this.keys.sm4Key,
      sm2PrivateKey: this.keys.platformPrivateKey,
    });
  }

  private defaultReply(infno: string): Reply {
    if (infno === '9001') {
      this.signIns += 1;
      return {
        kind: 'ok',
        output: { signinoutb: { sign_time: '2026-01-02 09:00:00', sign_no: `SIGN-${this.signIns}` } },
      };
    }
    if (infno === '9002' || infno === '2601') return { kind: 'ok', output: {} };
    throw new Error(`no scripted reply for ${infno}`);
  }

  /** Queues the answers to the next requests of one infno. */
  script(infno: string, ...replies: Reply[]): void {
    this.scripts.set(infno, [...(this.scripts.get(infno) ?? []), ...replies]);
  }

  requestsFor(infno: string): ReceivedRequest[] {
    return this.received.filter((r) => r.envelope.infno === infno);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
