import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RECONCILIATION_CHECKS } from '@yb/contracts';
import { z } from 'zod';
import { Accepted, ActionRequest, comment, requestId } from '../actions/actions.controller';
import { type ActionAccepted, OperatorActions } from '../actions/operator-actions';
import { type SessionUser } from '../auth/auth.service';
import { ApiSessionAndCsrf, CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import {
  CLEARING_APPLICATIONS,
  paged,
  RECONCILIATION_DAY,
  RECONCILIATION_DAY_SUMMARY,
} from './openapi-schemas';
import { clearingFilterSchema, day, parseInput, reconciliationFilterSchema, text } from './query-filters';
import { apply, PAGE } from './read-models.controller';
import { ReadModels } from './read-models';
import { RoleRedaction } from './role-redaction';

const runSchema = z
  .object({ checks: z.array(z.enum(RECONCILIATION_CHECKS)).min(1).max(3).optional(), request_id: requestId })
  .strict();

class RunBody extends ActionRequest {
  @ApiProperty({
    required: false,
    enum: [...RECONCILIATION_CHECKS],
    isArray: true,
    description: "What to ask: 3201 (with 3202 where unbalanced, the default), Hubei's 5262 本地 / 5267 异地",
  })
  checks?: string[];
}
const explainSchema = z.object({ explanation: comment, request_id: requestId }).strict();

const adoptSchema = z.object({ request_id: requestId }).strict();
const reverseSchema = z.object({ reason: comment, request_id: requestId }).strict();

class ReverseBody extends ActionRequest {
  @ApiProperty({ description: 'Why the platform does not hold it (e.g. 中心窗口已撤销该结算)' })
  reason!: string;
}

class ExplainBody extends ActionRequest {
  @ApiProperty({ description: 'Why the difference is in order (e.g. 中心已撤销该结算，医院已退费)' })
  explanation!: string;
}

/**
 * 对账 (apps/reconciliation's results): each day's groups and differences, and the months' clearing
 * applications (清算申请), for every role, free text masked for viewers and operators; an operator runs a day now (ReconcileDay: 3201, or Hubei's 5262 / 5267 period checks), marks a difference as explained
 * (ExplainReconciliationDifference), adopts the platform's record of one whose amounts differ
 * (AdoptPlatformAmounts) or reverses one only we hold in our books (ReverseSettlementLocally), each a command
 * recorded with who asked.
 */
@ApiTags('reconciliation')
@ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
@ApiForbiddenResponse({ description: 'The role may not do this' })
@Controller('api')
@UseGuards(SessionGuard)
@UseInterceptors(RoleRedaction)
@Roles('viewer', 'operator', 'admin')
export class ReconciliationController {
  constructor(
    @Inject(ReadModels) private readonly models: ReadModels,
    @Inject(OperatorActions) private readonly actions: OperatorActions,
  ) {}

  @Get('reconciliation')
  @ApiOperation({ summary: 'Reconciled days (对账), newest first' })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiQuery({ name: 'from', required: false, description: 'yyyy-MM-dd (inclusive)' })
  @ApiQuery({ name: 'to', required: false, description: 'yyyy-MM-dd (inclusive)' })
  @apply(PAGE)
  @ApiOkResponse({
    schema: paged(RECONCILIATION_DAY_SUMMARY),
    description: 'Reconciled days, newest first: groups balanced, differences found and still open',
  })
  days(@Query() query: unknown) {
    return this.models.reconciliationDays(parseInput(reconciliationFilterSchema, query));
  }

  @Get('clearing')
  @ApiOperation({ summary: "Each month's clearing applications (清算申请)" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiQuery({ name: 'setlym', required: false, description: '清算年月 yyyyMM (default: every month)' })
  @ApiOkResponse({
    schema: CLEARING_APPLICATIONS,
    description: "清算申请: each month's application per clr_type × setl_optins × scope and where it stands",
  })
  clearing(@Query() query: unknown) {
    return this.models.clearingApplications(parseInput(clearingFilterSchema, query));
  }

  @Get('reconciliation/:date')
  @ApiOperation({ summary: "One day's reconciliation: groups and differences (差账)" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: RECONCILIATION_DAY,
    description: "One day: each group's totals (ours) and the platform's verdict, each difference (差账)",
  })
  @ApiNotFoundResponse({ description: 'The day was never reconciled' })
  async day(@Param('date') date: string) {
    const found = await this.models.reconciliationDay(parseInput(day, date));
    if (!found) throw new NotFoundException('the day was never reconciled');
    return found;
  }

  @Post('reconciliation/:date/run')
  @ApiOperation({ summary: 'Reconcile a day now (3201/3202, 5262/5267)' })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'ReconcileDay (with the checks asked) is recorded and leaves through the outbox',
  })
  run(
    @CurrentUser() user: SessionUser,
    @Param('date') date: string,
    @Body() body: RunBody,
  ): Promise<ActionAccepted> {
    const input = parseInput(runSchema, body);
    return this.actions.reconcileDay(user, parseInput(day, date), input.request_id, input.checks);
  }

  @Post('reconciliation/:date/differences/:setlId/explain')
  @ApiOperation({ summary: 'Mark a difference as explained' })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'ExplainReconciliationDifference is recorded and leaves through the outbox',
  })
  @ApiNotFoundResponse({ description: 'No such difference on that day' })
  @ApiConflictResponse({ description: 'The difference is already resolved' })
  explain(
    @CurrentUser() user: SessionUser,
    @Param('date') date: string,
    @Param('setlId') setlId: string,
    @Body() body: ExplainBody,
  ): Promise<ActionAccepted> {
    const input = parseInput(explainSchema, body);
    return this.actions.explainDifference(
      user,
      parseInput(day, date),
      parseInput(text(30, 1), setlId),
      input.explanation,
      input.request_id,
    );
  }

  @Post('reconciliation/:date/differences/:setlId/adopt')
  @ApiOperation({ summary: "Adopt the platform's amounts for a difference (5203)" })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'AdoptPlatformAmounts is recorded and leaves through the outbox',
  })
  @ApiNotFoundResponse({ description: 'No such difference on that day' })
  @ApiConflictResponse({ description: 'The difference is resolved, or its amounts do not differ' })
  adopt(
    @CurrentUser() user: SessionUser,
    @Param('date') date: string,
    @Param('setlId') setlId: string,
    @Body() body: ActionRequest,
  ): Promise<ActionAccepted> {
    const input = parseInput(adoptSchema, body);
    return this.actions.adoptPlatformAmounts(
      user,
      parseInput(day, date),
      parseInput(text(30, 1), setlId),
      input.request_id,
    );
  }

  @Post('reconciliation/:date/differences/:setlId/reverse')
  @ApiOperation({ summary: 'Reverse in our books a settlement the platform does not hold (本地冲销)' })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'ReverseSettlementLocally is recorded and leaves through the outbox',
  })
  @ApiNotFoundResponse({ description: 'No such difference on that day' })
  @ApiConflictResponse({ description: 'The difference is resolved, or not one only we hold' })
  reverse(
    @CurrentUser() user: SessionUser,
    @Param('date') date: string,
    @Param('setlId') setlId: string,
    @Body() body: ReverseBody,
  ): Promise<ActionAccepted> {
    const input = parseInput(reverseSchema, body);
    return this.actions.reverseLocally(
      user,
      parseInput(day, date),
      parseInput(text(30, 1), setlId),
      input.reason,
      input.request_id,
    );
  }
}
