import { Controller, Inject, type MessageEvent, Sse, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  bufferTime,
  filter,
  from,
  interval,
  map,
  merge,
  mergeMap,
  takeUntil,
  timer,
  type Observable,
} from 'rxjs';
import { AuthService, type SessionUser } from '../auth/auth.service';
import { CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import { ReadModelRunner } from '../read-model/read-model-runner';

const SESSION_RECHECK_MS = 5_000;

/**
 * Server-sent events: `change` names the read models a committed batch touched (at most one event per 250 ms),
 * so that the page refetches what it shows; `ping` every 25 s keeps proxies from closing the stream. The stream
 * ends when the session expires or is signed out: at once when signed out through this process, within
 * SESSION_RECHECK_MS through another (each stream looks its session up again). No patient identifier travels on it.
 */
@ApiTags('live')
@ApiCookieAuth(SESSION_SECURITY)
@Controller('api')
@UseGuards(SessionGuard)
@Roles('viewer', 'operator', 'admin')
export class LiveController {
  constructor(
    @Inject(ReadModelRunner) private readonly readModels: ReadModelRunner,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @Sse('stream')
  @ApiOperation({ summary: 'Live updates of the read models (server-sent events); ends at sign-out' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'text/event-stream of `change` events {models: string[]} and `ping` events',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  stream(@CurrentUser() user: SessionUser): Observable<MessageEvent> {
    const changes = this.readModels.changed.pipe(
      bufferTime(250),
      filter((batch) => batch.length > 0),
      map((batch): MessageEvent => ({
        type: 'change',
        data: { models: [...new Set(batch.flatMap((change) => [...change.models]))].sort() },
      })),
    );
    const pings = interval(25_000).pipe(map((): MessageEvent => ({ type: 'ping', data: {} })));
    const signedOut = merge(
      this.auth.signedOut.pipe(filter((sessionId) => sessionId === user.sessionId)),
      interval(SESSION_RECHECK_MS).pipe(
        // A failed look-up (database away for a moment) keeps the stream; the next one decides.
        mergeMap(() => from(this.auth.isOpen(user.sessionId).catch(() => true))),
        filter((open) => !open),
      ),
    );
    return merge(changes, pings).pipe(
      takeUntil(merge(timer(user.expiresAt), signedOut, this.readModels.shuttingDown)),
    );
  }
}
