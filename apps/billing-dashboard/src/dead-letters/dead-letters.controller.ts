import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { z } from 'zod';
import { comment } from '../actions/actions.controller';
import { parseInput } from '../api/query-filters';
import { type SessionUser } from '../auth/auth.service';
import { ApiSessionAndCsrf, CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import { DeadLetterDesk } from './dead-letter-desk';

class ResolveBody {
  @ApiProperty({ description: 'How the dead letter was dealt with, since it is not replayed' }) note!: string;
}

/**
 * Dead letters (admin only): list, show, replay to the original topic with the original key (once, whoever asks,
 * the page or `npm run dlq`), or resolve without a replay; who did it is recorded with the replay.
 */
@ApiTags('admin')
@ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
@ApiForbiddenResponse({ description: 'Only an admin reads and replays dead letters' })
@ApiNotFoundResponse({ description: 'Not a dead-letter topic of the product, or no record at that place' })
@Controller('api/admin/dead-letters')
@UseGuards(SessionGuard)
@Roles('admin')
export class DeadLettersController {
  constructor(@Inject(DeadLetterDesk) private readonly desk: DeadLetterDesk) {}

  @Get()
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    description: 'Every dead letter of the product, newest first, with what was done with it',
  })
  async list(): Promise<{ items: Awaited<ReturnType<DeadLetterDesk['list']>> }> {
    return { items: await this.desk.list() };
  }

  @Get(':topic/:ref')
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({ description: 'One dead letter with its headers and payload (patient identifiers masked)' })
  show(@Param('topic') topic: string, @Param('ref') ref: string) {
    return this.desk.show(topic, ref);
  }

  @Post(':topic/:ref/replay')
  @HttpCode(200)
  @ApiSessionAndCsrf()
  @ApiOkResponse({ description: 'Replayed now, or already (already: true) and not published again' })
  replay(@CurrentUser() user: SessionUser, @Param('topic') topic: string, @Param('ref') ref: string) {
    return this.desk.replay(topic, ref, user.username);
  }

  @Post(':topic/:ref/resolve')
  @HttpCode(200)
  @ApiSessionAndCsrf()
  @ApiOkResponse({ description: 'Resolved now, or dealt with already (already: true)' })
  resolve(
    @CurrentUser() user: SessionUser,
    @Param('topic') topic: string,
    @Param('ref') ref: string,
    @Body() body: ResolveBody,
  ) {
    // request_id as every action's body may carry it; the dead letter itself is what makes it once.
    const schema = z.object({ note: comment, request_id: z.string().uuid().optional() }).strict();
    const { note } = parseInput(schema, body);
    return this.desk.resolve(topic, ref, user.username, note);
  }
}
