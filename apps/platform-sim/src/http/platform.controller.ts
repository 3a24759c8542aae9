import { Controller, Inject, Post, Req, Res, type OnApplicationShutdown } from '@nestjs/common';
import type { ResponseEnvelope } from '@yb/platform-client';
import type { Request, Response } from 'express';
import { BooksUnavailableError, SimBooks } from '../books/sim-books';
import { FaultPlan } from '../faults/fault-plan';
import { downloadedFile } from '../ledger/platform-files';
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
    @Inject(SimBooks) private readonly books: SimBooks,
  ) {}

  @Post([...PLATFORM_PATHS])
  async call(@Req() req: Request, @Res() res: Response): Promise<void> {
    const receivedAt = new Date();
    const body = await readRawBody(req);
    const received = this.exchange.receive(req.path, req.headers, body, receivedAt);
    if (received.kind === 'refused') return send(res, received.httpStatus, received.envelope);
    // A catalogue file comes back as bytes (spec part 2 §4.2); the books answer every other 9102 (send() below
    // writes a file they return as bytes, a refusal as the usual envelope).
    const catalogueFile =
      received.request.infno === '9102' ? this.exchange.catalogueFile(received) : undefined;
    if (catalogueFile) {
      res.status(200).type('application/octet-stream').send(catalogueFile);
      return;
    }

    const fault = this.faults.take(received.request.infno, received.request.input);
    const holdMs = fault?.latencyMs ?? this.options.timeoutHoldMs;
    switch (fault?.mode) {
      case undefined:
        return send(res, 200, await this.recorded(res, () => this.exchange.apply(received)));
      case 'latency':
        return this.held.hold(holdMs, () => {
          void this.recorded(res, () => this.exchange.apply(received)).then((answer) =>
            send(res, 200, answer),
          );
        });
      case 'timeout-after-apply': {
        const answer = await this.recorded(res, () => this.exchange.apply(received));
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
        const recorded = await this.recorded(res, () => this.exchange.apply(received));
        if (!recorded) return;
        const answer = JSON.stringify(recorded);
        res
          .status(200)
          .type('application/json')
          .send(answer.slice(0, Math.floor(answer.length / 2)));
        return;
      }
      case 'reject':
        return send(
          res,
          200,
          await this.recorded(res, () =>
            this.exchange.refuse(received, fault.errMsg ?? DEFAULT_REJECT_ERR_MSG),
          ),
        );
      case 'answer-without':
        return send(res, 200, await this.recorded(res, () => this.exchange.apply(received, fault.omit)));
    }
  }

  /**
   * Decides, then waits until the books hold the decision: no answer leaves that a restart would forget. While
   * the books are being read back nothing is decided (503); a decision whose write failed is never answered
   * (the socket is dropped, as when a platform dies mid-request: the caller's outcome is unknown).
   */
  private async recorded(
    res: Response,
    decide: () => ResponseEnvelope,
  ): Promise<ResponseEnvelope | undefined> {
    if (!this.books.accepting) {
      res.status(503).type('text/plain').send('platform-sim: the books are being read back; try again');
      return undefined;
    }
    const answer = decide();
    try {
      await this.books.durable();
      return answer;
    } catch (err) {
      if (!(err instanceof BooksUnavailableError)) throw err;
      res.socket?.destroy();
      return undefined;
    }
  }

  onApplicationShutdown(): void {
    this.held.releaseAll();
  }
}

/** Writes the answer unless the client has gone (a timed-out caller closes its socket). */
function send(res: Response, status: number, envelope: ResponseEnvelope | undefined): void {
  if (!envelope || res.destroyed || res.writableEnded || res.headersSent) return;
  // 9102 answers a download with the file itself, not an envelope (spec part 2 §4.2).
  const file = envelope.infcode === 0 ? downloadedFile(envelope.output) : undefined;
  if (file) {
    res.status(status).type('application/octet-stream').send(file);
    return;
  }
  res.status(status).type('application/json;charset=utf-8').send(JSON.stringify(envelope));
}
