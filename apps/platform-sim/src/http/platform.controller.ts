import { Controller, Inject, Post, Req, Res, type OnApplicationShutdown } from '@nestjs/common';
import type { ResponseEnvelope } from '@yb/platform-client';
import type { Request, Response } from 'express';
import { FaultPlan } from '../faults/fault-plan';
import { PLATFORM_PATHS, PlatformExchange } from '../platform/platform-exchange';
import { SIM_OPTIONS } from '../sim-tokens';
import type { PlatformSimOptions } from '../sim-config';
import { HeldAnswers } from './held-answers';
import { readRawBody } from './raw-body';

const DEFAULT_REJECT_ERR_MSG = 'FSI-系统繁忙，请稍后再试';

/**
 * The platform's HTTP surface: the unified callService endpoint and the per-service paths, all answering
 * the same envelope. Injected faults act here, where the socket is.
 */
@Controller()
export class PlatformController implements OnApplicationShutdown {
  private readonly held = new HeldAnswers();

  constructor(
    @Inject(PlatformExchange) private readonly exchange: PlatformExchange,
    @Inject(FaultPlan) private readonly faults: FaultPlan,
    @Inject(SIM_OPTIONS) private readonly options: PlatformSimOptions,
  ) {}

  @Post([...PLATFORM_PATHS])
  async call(@Req() req: Request, @Res() res: Response): Promise<void> {
    const receivedAt = new Date();
    const body = await readRawBody(req);
    const received = this.exchange.receive(req.path, req.headers, body, receivedAt);
    if (received.kind === 'refused') return send(res, received.httpStatus, received.envelope);

    const fault = this.faults.take(received.request.infno);
    const holdMs = fault?.latencyMs ?? this.options.timeoutHoldMs;
    switch (fault?.mode) {
      case undefined:
        return send(res, 200, this.exchange.apply(received));
      case 'latency':
        return this.held.hold(holdMs, () => send(res, 200, this.exchange.apply(received)));
      case 'timeout-after-apply': {
        const answer = this.exchange.apply(received);
        return this.held.hold(holdMs, () => send(res, 200, answer));
      }
      case 'timeout-before-apply':
        return this.held.hold(holdMs, () => res.socket?.destroy());
      case 'http-5xx':
        res.status(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      case 'connection-reset':
        req.socket.destroy();
        return;
      case 'malformed-body': {
        const answer = JSON.stringify(this.exchange.apply(received));
        res
          .status(200)
          .type('application/json')
          .send(answer.slice(0, Math.floor(answer.length / 2)));
        return;
      }
      case 'reject':
        return send(res, 200, this.exchange.refuse(received, fault.errMsg ?? DEFAULT_REJECT_ERR_MSG));
    }
  }

  onApplicationShutdown(): void {
    this.held.releaseAll();
  }
}

/** Writes the answer unless the client has gone (a timed-out caller closes its socket). */
function send(res: Response, status: number, envelope: ResponseEnvelope): void {
  if (res.destroyed || res.writableEnded) return;
  res.status(status).type('application/json;charset=utf-8').send(JSON.stringify(envelope));
}
