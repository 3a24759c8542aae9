import {
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type SessionUser } from '../auth/auth.service';
import { CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import { VISIT_STATES } from '../read-model/visits.read-model';
import {
  findingFilterSchema,
  healthFilterSchema,
  listFilterSchema,
  overviewSchema,
  pageSchema,
  parseInput,
  reportFilterSchema,
  sagaFilterSchema,
  text,
  todayInShanghai,
  visitFilterSchema,
} from './query-filters';
import {
  BACKLOG,
  FINDING,
  OPERATOR_ACTION,
  OVERVIEW,
  paged,
  PLATFORM_HEALTH,
  QUEUE,
  REPORT,
  SAGA,
  SETTLEMENT,
  TIMELINE,
  VISIT,
  VISIT_DETAIL,
} from './openapi-schemas';
import { ReadModels } from './read-models';
import { RoleRedaction } from './role-redaction';

export const PAGE = [
  ApiQuery({ name: 'page', required: false, type: Number }),
  ApiQuery({ name: 'page_size', required: false, type: Number, description: '1–200, default 20' }),
];
const LIST = [
  ...PAGE,
  ApiQuery({ name: 'from', required: false, description: 'yyyy-MM-dd (inclusive)' }),
  ApiQuery({ name: 'to', required: false, description: 'yyyy-MM-dd (inclusive)' }),
  ApiQuery({ name: 'department', required: false, description: '科室编码 (adm_dept_codg)' }),
  ApiQuery({ name: 'insutype', required: false, description: '险种类型, e.g. 310' }),
];
export const apply =
  (decorators: MethodDecorator[]): MethodDecorator =>
  (target, key, descriptor) => {
    for (const decorator of decorators) decorator(target, key, descriptor);
  };

/**
 * The read models, for every signed-in role; patient identifiers masked unless the role is admin (certificate
 * numbers by ReadModels, every other identifier field and all free text by RoleRedaction).
 */
@ApiTags('read models')
@ApiCookieAuth(SESSION_SECURITY)
@ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
@ApiForbiddenResponse({ description: 'The role may not read this' })
@Controller('api')
@UseGuards(SessionGuard)
@UseInterceptors(RoleRedaction)
@Roles('viewer', 'operator', 'admin')
export class ReadModelsController {
  constructor(@Inject(ReadModels) private readonly models: ReadModels) {}

  @Get('overview')
  @ApiOperation({ summary: "A day's overview (今日概览)" })
  @ApiQuery({
    name: 'date',
    required: false,
    description: 'The business day, yyyy-MM-dd (default today, Beijing)',
  })
  @ApiQuery({
    name: 'days',
    required: false,
    type: Number,
    description: 'Days of the daily charts (default 14)',
  })
  @ApiOkResponse({
    schema: OVERVIEW,
    description:
      "The day's counts; settled amount by fund type per day; admissions/discharges; platform error rate per hour",
  })
  overview(@Query() query: unknown) {
    const { date, days } = parseInput(overviewSchema, query);
    return this.models.overview(date ?? todayInShanghai(), days);
  }

  @Get('visits')
  @ApiOperation({ summary: 'Visits, filtered and paged' })
  @apply(LIST)
  @ApiQuery({ name: 'state', required: false, enum: VISIT_STATES })
  @ApiQuery({ name: 'in_hospital', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({
    schema: paged(VISIT),
    description: 'Visits with insurance state and fee totals, newest activity first',
  })
  visits(@CurrentUser() user: SessionUser, @Query() query: unknown) {
    return this.models.visits(user.role, parseInput(visitFilterSchema, query));
  }

  @Get('visits/:visitId')
  @ApiOperation({ summary: 'One visit: its stay, fees, settlements, findings and reports' })
  @ApiOkResponse({
    schema: VISIT_DETAIL,
    description: 'One visit: its timeline, settlements, findings, reports, sagas and operator actions',
  })
  async visit(@CurrentUser() user: SessionUser, @Param('visitId', new ParseUUIDPipe()) visitId: string) {
    const visit = await this.models.visit(user.role, visitId);
    if (!visit) throw new NotFoundException('no such visit');
    return visit;
  }

  @Get('settlements')
  @ApiOperation({ summary: 'Settlements, filtered and paged' })
  @apply(LIST)
  @ApiOkResponse({
    schema: paged(SETTLEMENT),
    description: "Settlements with every fund's share (amounts as decimal strings)",
  })
  settlements(@Query() query: unknown) {
    return this.models.settlements(parseInput(listFilterSchema, query));
  }

  @Get('sagas')
  @ApiOperation({ summary: 'Discharge settlement sagas and where each stands' })
  @apply(PAGE)
  @ApiQuery({ name: 'state', required: false })
  @ApiOkResponse({ schema: paged(SAGA), description: 'Settlement sagas and where each stands' })
  sagas(@Query() query: unknown) {
    return this.models.sagas(parseInput(sagaFilterSchema, query));
  }

  @Get('sagas/:sagaId/timeline')
  @ApiOperation({ summary: "A saga's timeline" })
  @ApiOkResponse({
    schema: TIMELINE,
    description: "The saga's timeline: every step, retry, 2601 reversal and compensation",
  })
  sagaTimeline(@Param('sagaId') sagaId: string) {
    return this.models.sagaTimeline(parseInput(text(64, 1), sagaId));
  }

  @Get('findings')
  @ApiOperation({ summary: 'Audit findings (3101/3102)' })
  @apply(LIST)
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'acknowledged'] })
  @ApiQuery({ name: 'blocking', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ schema: paged(FINDING), description: '3101/3102 audit findings' })
  findings(@Query() query: unknown) {
    return this.models.findings(parseInput(findingFilterSchema, query));
  }

  @Get('reports')
  @ApiOperation({ summary: 'Report uploads (4101A, 44xx, 45xx)' })
  @apply(PAGE)
  @ApiQuery({ name: 'state', required: false, enum: ['PENDING', 'UPLOADED', 'REJECTED'] })
  @ApiQuery({ name: 'infno', required: false })
  @ApiOkResponse({
    schema: paged(REPORT),
    description: 'Report uploads (4101A, 44xx, 45xx) and where each stands',
  })
  reports(@Query() query: unknown) {
    return this.models.reports(parseInput(reportFilterSchema, query));
  }

  @Get('reports/backlog')
  @ApiOperation({ summary: 'Reports waiting to be uploaded (上报积压)' })
  @ApiOkResponse({
    schema: BACKLOG,
    description: 'The latest backlog per interface (waiting, overdue, rejected, why)',
  })
  reportBacklog() {
    return this.models.reportBacklog();
  }

  @Get('platform-health')
  @ApiOperation({ summary: 'Platform calls by interface: counts, errors, latency' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({ schema: PLATFORM_HEALTH, description: 'Calls, error rate and latency per interface' })
  platformHealth(@Query() query: unknown) {
    return this.models.platformHealth(parseInput(healthFilterSchema, query));
  }

  @Get('queue')
  @ApiOperation({ summary: 'What waits for a person (待人工处理)' })
  @ApiOkResponse({
    schema: QUEUE,
    description:
      'What needs a person: blocking findings, stopped sagas, rejected uploads, uncertain admissions',
  })
  queue() {
    return this.models.queue();
  }

  @Get('operator-actions')
  @ApiOperation({ summary: "The operators' actions, with who (操作记录)" })
  @apply(PAGE)
  @ApiOkResponse({
    schema: paged(OPERATOR_ACTION),
    description: 'Who asked for which action, when, and the command’s message id',
  })
  operatorActions(@Query() query: unknown) {
    return this.models.operatorActions(parseInput(pageSchema, query));
  }
}
