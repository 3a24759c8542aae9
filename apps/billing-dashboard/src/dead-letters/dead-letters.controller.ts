import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { z } from 'zod';
import { comment } from '../actions/actions.controller';
import { DEAD_LETTER_DONE, DEAD_LETTERS, DEAD_LETTER_SHOWN } from '../api/openapi-schemas';
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
  @ApiOperation({ summary: 'Dead letters (死信), newest first' })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: DEAD_LETTERS,
    description: 'Every dead letter of the product, newest first, with what was done with it',
  })
  async list(): Promise<{ items: Awaited<ReturnType<DeadLetterDesk['list']>> }> {
    return { items: await this.desk.list() };
  }

  @Get(':topic/:ref')
  @ApiOperation({ summary: 'One dead letter with its reason' })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: DEAD_LETTER_SHOWN,
    description: 'One dead letter with its headers and payload (patient identifiers masked)',
  })
  show(@Param('topic') topic: string, @Param('ref') ref: string) {
    return this.desk.show(topic, ref);
  }

  @Post(':topic/:ref/replay')
  @ApiOperation({ summary: 'Replay a dead letter to its original topic, once' })
  @HttpCode(200)
  @ApiSessionAndCsrf()
  @ApiOkResponse({
    schema: DEAD_LETTER_DONE,
    description: 'Replayed now, or already (already: true) and not published again',
  })
  replay(@CurrentUser() user: SessionUser, @Param('topic') topic: string, @Param('ref') ref: string) {
    return this.desk.replay(topic, ref, user.username);
  }

  @Post(':topic/:ref/resolve')
  @ApiOperation({ summary: 'Mark a dead letter resolved, with why' })
  @HttpCode(200)
  @ApiSessionAndCsrf()
  @ApiOkResponse({
    schema: DEAD_LETTER_DONE,
    description: 'Resolved now, or dealt with already (already: true)',
  })
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
