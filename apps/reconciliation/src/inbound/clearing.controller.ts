import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { type CLEARING_STATUSES, operatorSchema } from '@yb/contracts';
import { type PlatformWorker } from '@yb/service-runtime';
import { z } from 'zod';
import { clearingKey } from '../clearing-application/clearing-application-workflow';
import { ClearingRefusal } from '../clearing-application/clearing-application.decider';
import { type ClearingSubject } from '../clearing-application/clearing-application.events';
import { type ClearingApplicationState } from '../clearing-application/clearing-application.state';
import { ClearingApplicant, type ClearingPrintout } from '../platform/clearing-applicant';
import { type Answer, PlatformUnavailable } from '../platform/statement-calls';
import { CLEARING_OPENAPI } from './clearing-openapi';

/** The worker that makes and withdraws applications with the platform (provided by the module). */
export const CLEARING_WORKER = Symbol('RECONCILIATION_CLEARING_WORKER');

/** How long a request waits for the platform's answer before it is answered with the application pending. */
const ANSWER_WAIT_MS = 15_000;

const setlym = z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, { message: 'is not a month in yyyyMM' });
const code = z.string().min(1).max(6);
const subjectSchema = z.object({ setlym, clr_type: code, setl_optins: code }).strict();
const actionSchema = subjectSchema.extend({ requested_by: operatorSchema }).strict();

/** An application as the billing office sees it (the same in every answer of this controller). */
export interface ClearingApplicationAnswer extends ClearingSubject {
  readonly scope: 'LOCAL' | 'CROSS_AREA';
  readonly status: (typeof CLEARING_STATUSES)[number];
  /** The platform call under way: apply or withdraw (null when none). */
  readonly pending: 'apply' | 'withdraw' | null;
  readonly clr_appy_evt_id?: string;
  readonly begndate?: string;
  readonly enddate?: string;
  readonly declared?: ClearingApplicationState['declared'];
  /** Why the latest application or withdrawal was refused. */
  readonly refusal?: string;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new BadRequestException(
      result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return result.data;
}

/**
 * The billing office's clearing (清算) of a month: the applications it can make (one per clr_type ×
 * setl_optins with settlements), applying and withdrawing. The dashboard checks the person's role and names
 * them in requested_by; every action is recorded with who. Money and codes only: no patient data.
 */
@Controller('clearing')
export class ClearingController {
  constructor(
    @Inject(ClearingApplicant) private readonly applicant: ClearingApplicant,
    @Inject(CLEARING_WORKER) private readonly worker: PlatformWorker,
  ) {}

  @Get('openapi.json')
  openapi(): unknown {
    return CLEARING_OPENAPI;
  }

  @Get('applications')
  async list(@Query('setlym') month: unknown): Promise<ClearingApplicationAnswer[]> {
    const views = await this.applicant.list(parse(setlym, month));
    return views.map(({ state, ...view }) => answerOf(view, state));
  }

  @Post('applications')
  @HttpCode(200)
  async apply(@Body() body: unknown): Promise<ClearingApplicationAnswer> {
    const { requested_by, ...subject } = parse(actionSchema, body);
    return this.act(subject, () => this.applicant.apply(subject, requested_by));
  }

  @Get('applications/printout')
  async printout(@Query() query: unknown): Promise<ClearingPrintout> {
    const subject = parse(subjectSchema, query);
    let answer: Answer<ClearingPrintout>;
    try {
      answer = await this.applicant.printout(subject);
    } catch (err) {
      if (err instanceof PlatformUnavailable) throw new ServiceUnavailableException(err.message);
      throw err;
    }
    if (answer.kind === 'refused') throw new ConflictException(answer.reason);
    return answer.value;
  }

  @Post('applications/withdrawal')
  @HttpCode(200)
  async withdraw(@Body() body: unknown): Promise<ClearingApplicationAnswer> {
    const { requested_by, ...subject } = parse(actionSchema, body);
    return this.act(subject, () => this.applicant.withdraw(subject, requested_by));
  }

  /** Records the action, hands the platform call to the worker and waits a while for its answer. */
  private async act(
    subject: ClearingSubject,
    action: () => Promise<ClearingApplicationState>,
  ): Promise<ClearingApplicationAnswer> {
    let state: ClearingApplicationState;
    try {
      state = await action();
    } catch (err) {
      if (err instanceof ClearingRefusal) throw new ConflictException(err.message);
      throw err;
    }
    const view = { ...subject, scope: this.applicant.scopeOf(subject.setl_optins) };
    if (state.pending === null) return answerOf(view, state);
    const key = clearingKey(subject);
    this.worker.schedule(key);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.worker.settled(key),
      new Promise((resolve) => (timer = setTimeout(resolve, ANSWER_WAIT_MS))),
    ]);
    clearTimeout(timer);
    return answerOf(view, (await this.applicant.load(subject)).state);
  }
}

function answerOf(
  view: ClearingSubject & { scope: 'LOCAL' | 'CROSS_AREA' },
  state: ClearingApplicationState,
): ClearingApplicationAnswer {
  return {
    ...view,
    status: state.status,
    pending: state.pending?.kind ?? null,
    ...(state.clr_appy_evt_id && { clr_appy_evt_id: state.clr_appy_evt_id }),
    ...(state.begndate && { begndate: state.begndate, enddate: state.enddate }),
    ...(state.declared && { declared: state.declared }),
    ...(state.refusal && { refusal: state.refusal }),
  };
}
