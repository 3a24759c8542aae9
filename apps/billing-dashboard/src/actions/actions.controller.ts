import {
  Body,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { PRE_SETTLEMENT_DECISIONS, REPORT_INFNOS } from '@yb/contracts';
import { z } from 'zod';
import { day, hasControlCharacter, parseInput, text } from '../api/query-filters';
import { ReadModels } from '../api/read-models';
import { type SessionUser } from '../auth/auth.service';
import { ApiSessionAndCsrf, CurrentUser, Roles, SessionGuard } from '../auth/session.guard';
import { type ActionAccepted, OperatorActions } from './operator-actions';

// Line breaks and tabs are fine in a comment; other control characters (NUL above all) are not.
export const comment = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((value) => !hasControlCharacter(value, true), { message: 'must not hold control characters' });
export const requestId = z.string().uuid().optional();

const retrySchema = z.object({ saga_id: text(64, 1), comment, request_id: requestId }).strict();
const cancelSchema = z
  .object({
    setl_id: text(30, 1).optional(),
    undo_discharge: z.boolean(),
    reason: comment,
    request_id: requestId,
  })
  .strict();
const confirmSchema = z
  .object({
    saga_id: text(64, 1),
    decision: z.enum(PRE_SETTLEMENT_DECISIONS),
    acct_used_flag: z.enum(['0', '1']).optional(),
    comment: comment.optional(),
    request_id: requestId,
  })
  .strict()
  .refine((v) => v.decision === 'CONFIRM' || v.comment !== undefined, {
    message: 'a cancel needs a comment (why)',
    path: ['comment'],
  });
const acknowledgeSchema = z.object({ comment, request_id: requestId }).strict();
const rerunSchema = z
  .object({
    infno: z.enum(REPORT_INFNOS),
    report_ref: text(50, 1),
    comment,
    request_id: requestId,
  })
  .strict();
const runUploadsSchema = z
  .object({
    run_date: day,
    request_id: requestId,
  })
  .strict();

export class ActionRequest {
  @ApiPropertyOptional({ description: 'A UUID of the request: sent twice, the command goes out once' })
  request_id?: string;
}
class RetrySettlementBody extends ActionRequest {
  @ApiProperty({ description: 'The stopped saga the person looked at' }) saga_id!: string;
  @ApiProperty({ description: 'What the person checked or changed' }) comment!: string;
}
class CancelSettlementBody extends ActionRequest {
  @ApiPropertyOptional({ description: '结算ID (default: the visit’s latest settlement)' }) setl_id?: string;
  @ApiProperty({ description: 'Also undo the discharge (2405) after 2305' }) undo_discharge!: boolean;
  @ApiProperty() reason!: string;
}
class ConfirmPreSettlementBody extends ActionRequest {
  @ApiProperty({ description: 'The saga whose split the cashier saw' }) saga_id!: string;
  @ApiProperty({ enum: PRE_SETTLEMENT_DECISIONS }) decision!: string;
  @ApiPropertyOptional({ enum: ['0', '1'], description: '个人账户使用标志 (the request’s when absent)' })
  acct_used_flag?: string;
  @ApiPropertyOptional({ description: 'Why (required for a cancel)' }) comment?: string;
}
class AcknowledgeBody extends ActionRequest {
  @ApiProperty({ description: 'Why the finding is accepted' }) comment!: string;
}
class RerunReportBody extends ActionRequest {
  @ApiProperty({ enum: REPORT_INFNOS }) infno!: string;
  @ApiProperty() report_ref!: string;
  @ApiProperty({ description: 'What was corrected' }) comment!: string;
}
class RunUploadsBody extends ActionRequest {
  @ApiProperty({ example: '2024-05-09' }) run_date!: string;
}
export class Accepted {
  @ApiProperty({ description: 'The command’s message id' }) message_id!: string;
  @ApiProperty() command_type!: string;
  @ApiProperty({ description: 'true when this request_id had been sent already' }) duplicate!: boolean;
}

/**
 * The actions that need a person (operator or admin): each is a command on Kafka carrying requested_by, recorded
 * with who asked; the services' results then show on the read models.
 */
@ApiTags('operator actions')
@ApiSessionAndCsrf()
@ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
@ApiForbiddenResponse({ description: 'A viewer cannot act' })
@ApiConflictResponse({ description: 'The target is not in a state the action fits' })
@Controller('api')
@UseGuards(SessionGuard)
@Roles('operator', 'admin')
export class ActionsController {
  constructor(
    @Inject(OperatorActions) private readonly actions: OperatorActions,
    @Inject(ReadModels) private readonly models: ReadModels,
  ) {}

  private async iptNo(visitId: string): Promise<string> {
    const ipt_no = await this.models.iptNoOf(visitId);
    if (!ipt_no) throw new NotFoundException('no such visit');
    return ipt_no;
  }

  @Post('visits/:visitId/retry-settlement')
  @ApiOperation({ summary: 'Retry a failed discharge settlement (RetrySettlement)' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'The command is recorded and leaves through the outbox',
  })
  async retrySettlement(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Body() body: RetrySettlementBody,
  ): Promise<ActionAccepted> {
    const input = parseInput(retrySchema, body);
    return this.actions.retrySettlement(
      user,
      await this.iptNo(visitId),
      input.saga_id,
      input.comment,
      input.request_id,
    );
  }

  @Post('visits/:visitId/cancel-settlement')
  @ApiOperation({ summary: 'Cancel a settlement (2305 through the saga)' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'The command is recorded and leaves through the outbox',
  })
  async cancelSettlement(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Body() body: CancelSettlementBody,
  ): Promise<ActionAccepted> {
    const { request_id, ...input } = parseInput(cancelSchema, body);
    return this.actions.cancelSettlement(user, await this.iptNo(visitId), input, request_id);
  }

  @Post('visits/:visitId/confirm-pre-settlement')
  @ApiOperation({
    summary: "The cashier confirms a pre-settlement (2303's split), with or without the personal account",
  })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'The command is recorded and leaves through the outbox',
  })
  async confirmPreSettlement(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Body() body: ConfirmPreSettlementBody,
  ): Promise<ActionAccepted> {
    const { request_id, ...input } = parseInput(confirmSchema, body);
    return this.actions.confirmPreSettlement(user, await this.iptNo(visitId), input, request_id);
  }

  @Post('visits/:visitId/findings/:jrId/acknowledge')
  @ApiOperation({ summary: 'Acknowledge an audit finding (3101/3102)' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'The command is recorded and leaves through the outbox',
  })
  async acknowledgeFinding(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Param('jrId') jrId: string,
    @Body() body: AcknowledgeBody,
  ): Promise<ActionAccepted> {
    const input = parseInput(acknowledgeSchema, body);
    return this.actions.acknowledgeFinding(
      user,
      await this.iptNo(visitId),
      parseInput(text(64, 1), jrId),
      input.comment,
      input.request_id,
    );
  }

  @Post('visits/:visitId/reports/rerun')
  @ApiOperation({ summary: "Upload a visit's report again (4101A / 44xx / 45xx)" })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'The command is recorded and leaves through the outbox',
  })
  async rerunReport(
    @CurrentUser() user: SessionUser,
    @Param('visitId', new ParseUUIDPipe()) visitId: string,
    @Body() body: RerunReportBody,
  ): Promise<ActionAccepted> {
    const { request_id, ...input } = parseInput(rerunSchema, body);
    return this.actions.rerunReport(user, await this.iptNo(visitId), input, request_id);
  }

  @Post('reports/run-uploads')
  @ApiOperation({ summary: 'Run the report uploads now' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'The command is recorded and leaves through the outbox',
  })
  runReportUploads(@CurrentUser() user: SessionUser, @Body() body: RunUploadsBody): Promise<ActionAccepted> {
    const input = parseInput(runUploadsSchema, body);
    return this.actions.runReportUploads(user, input.run_date, input.request_id);
  }
}
