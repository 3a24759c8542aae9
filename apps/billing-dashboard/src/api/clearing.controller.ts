import {
  BadGatewayException,
  Body,
  ConflictException,
  Controller,
  GatewayTimeoutException,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  Res,
  ServiceUnavailableException,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { z } from 'zod';
import { ActionRequest, requestId } from '../actions/actions.controller';
import { operator, OperatorActions } from '../actions/operator-actions';
import { type SessionUser } from '../auth/auth.service';
import { ApiSessionAndCsrf, CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import {
  type ClearingApplicationAnswer,
  type ClearingSubject,
  ReconciliationClient,
  ReconciliationRefused,
  ReconciliationUnavailable,
} from '../clearing/reconciliation-client';
import { ClearingFormPdf } from '../clearing/clearing-form-pdf';
import { type DashboardConfig } from '../dashboard-config';
import { DASHBOARD_CONFIG } from '../dashboard-topics';
import { CLEARING_APPLICATION, list } from './openapi-schemas';
import { parseInput } from './query-filters';
import { RoleRedaction } from './role-redaction';

const setlym = z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, { message: 'must be a month yyyyMM' });
const code = z.string().regex(/^[0-9A-Za-z]{1,6}$/, { message: 'must be a code of 1–6 letters or digits' });
const monthSchema = z.object({ setlym }).strict();
const subjectSchema = z.object({ setlym, clr_type: code, setl_optins: code }).strict();
const actionSchema = subjectSchema.extend({ request_id: requestId }).strict();

class ClearingActionBody extends ActionRequest {
  @ApiProperty({ example: '202405', description: '清算年月 yyyyMM' }) setlym!: string;
  @ApiProperty({ example: '21', description: '清算类别' }) clr_type!: string;
  @ApiProperty({ example: '420100', description: '清算经办机构 (setl_optins)' }) setl_optins!: string;
}

/**
 * 清算申请 with apps/reconciliation (its `/clearing/…` endpoints, RECONCILIATION_URL): the month's applications
 * as the service sees them (every clr_type × setl_optins with settlements, applied for or not), and an operator
 * applying for one or withdrawing it. The service records the person (requested_by) and calls the platform;
 * the dashboard records who asked and what the service answered. The service's refusals and faults reach the
 * page in Chinese.
 */
@ApiTags('reconciliation')
@ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
@ApiForbiddenResponse({ description: 'The role may not do this' })
@ApiServiceUnavailableResponse({
  description: 'apps/reconciliation (RECONCILIATION_URL) unreachable or not answering in time',
})
@ApiGatewayTimeoutResponse({ description: 'The service did not answer in time (the call may still go on)' })
@ApiBadGatewayResponse({ description: 'The service failed (5xx or an unreadable answer)' })
@Controller('api/clearing')
@UseGuards(SessionGuard)
@UseInterceptors(RoleRedaction)
@Roles('viewer', 'operator', 'admin')
export class ClearingController {
  private readonly pdf: ClearingFormPdf;

  constructor(
    @Inject(ReconciliationClient) private readonly reconciliation: ReconciliationClient,
    @Inject(OperatorActions) private readonly actions: OperatorActions,
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
  ) {
    this.pdf = new ClearingFormPdf(config.slip.fontPath);
  }

  @Get('month')
  @ApiOperation({ summary: "A month's clearing: what may be applied for and what was" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiQuery({ name: 'setlym', required: true, description: '清算年月 yyyyMM' })
  @ApiOkResponse({
    schema: list(CLEARING_APPLICATION),
    description: "The month's applications as apps/reconciliation holds them, one per clr_type × setl_optins",
  })
  month(@Query() query: unknown): Promise<ClearingApplicationAnswer[]> {
    const { setlym: month } = parseInput(monthSchema, query);
    return answered(() => this.reconciliation.list(month));
  }

  @Get('printout.pdf')
  @ApiOperation({ summary: "The month's clearing application form (3205A) as a PDF" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: '清算申请单 (3205A): the application as declared beside the platform’s record, A4 PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiConflictResponse({ description: 'No application made for the month, or the platform holds none' })
  async printout(@Query() query: unknown, @Res() res: Response): Promise<void> {
    const subject = parseInput(subjectSchema, query);
    const printout = await answered(() => this.reconciliation.printout(subject));
    const body = await this.pdf.render(printout, this.config.slip.hospitalName);
    res
      .status(200)
      .type('application/pdf')
      .setHeader('Content-Disposition', `inline; filename="clearing-${printout.clr_appy_evt_id}.pdf"`)
      .send(body);
  }

  @Post('applications')
  @ApiOperation({ summary: "Apply for a month's clearing (3203 / 3202A)" })
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiOkResponse({ schema: CLEARING_APPLICATION, description: 'The application as the service left it' })
  @ApiConflictResponse({ description: 'Already applied, or a call under way, or no settlements that month' })
  apply(
    @CurrentUser() user: SessionUser,
    @Body() body: ClearingActionBody,
  ): Promise<ClearingApplicationAnswer> {
    return this.act(user, body, 'apply-for-clearing', 'ApplyForClearing', (subject) =>
      this.reconciliation.apply(subject, operator(user)),
    );
  }

  @Post('applications/withdrawal')
  @ApiOperation({ summary: "Withdraw a month's clearing application (3204 / 3204A)" })
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiOkResponse({ schema: CLEARING_APPLICATION, description: 'The application as the service left it' })
  @ApiConflictResponse({ description: 'A call under way' })
  withdraw(
    @CurrentUser() user: SessionUser,
    @Body() body: ClearingActionBody,
  ): Promise<ClearingApplicationAnswer> {
    return this.act(user, body, 'withdraw-clearing', 'WithdrawClearingApplication', (subject) =>
      this.reconciliation.withdraw(subject, operator(user)),
    );
  }

  private async act(
    user: SessionUser,
    body: unknown,
    action: string,
    command_type: string,
    call: (subject: ClearingSubject) => Promise<ClearingApplicationAnswer>,
  ): Promise<ClearingApplicationAnswer> {
    const { request_id, ...subject } = parseInput(actionSchema, body);
    const answer = await answered(() => call(subject));
    await this.actions.recordCall(
      user,
      action,
      command_type,
      'reconciliation',
      `clearing-${subject.setlym}-${subject.clr_type}-${subject.setl_optins}`,
      {
        ...subject,
        status: answer.status,
        ...(answer.clr_appy_evt_id && { clr_appy_evt_id: answer.clr_appy_evt_id }),
        ...(answer.refusal && { refusal: answer.refusal }),
      },
      request_id,
    );
    return answer;
  }
}

/** The service's answer, or its refusal / fault as the dashboard's own error in the office's words. */
async function answered<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ReconciliationRefused) {
      // The dashboard checked the request: a 400 from the service is a fault between the two, not the person's.
      throw err.status === 409 ? new ConflictException(err.message) : new BadGatewayException(err.message);
    }
    if (err instanceof ReconciliationUnavailable) {
      if (err.status === 504) throw new GatewayTimeoutException(err.message);
      if (err.status === 502) throw new BadGatewayException(err.message);
      throw new ServiceUnavailableException(err.message);
    }
    throw err;
  }
}
