import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DOWNLOADABLE_CATALOGUES } from '@yb/contracts';
import { z } from 'zod';
import { Accepted, ActionRequest, requestId } from '../actions/actions.controller';
import { type ActionAccepted, OperatorActions } from '../actions/operator-actions';
import { type SessionUser } from '../auth/auth.service';
import { ApiSessionAndCsrf, CurrentUser, Roles, SESSION_SECURITY, SessionGuard } from '../auth/session.guard';
import { CatalogueReads } from './catalogue-reads';
import { ITEM_CSV_COLUMNS, itemsToCsv, MAX_IMPORT_ROWS, parseItemCsv } from './item-csv';
import {
  CATALOGUE_VERSIONS,
  SUGGESTIONS,
  HELD_LINES,
  HOSPITAL_ITEM,
  ITEMS_IMPORTED,
  LOOKUP_KINDS,
  LOOKUP_ROWS,
  paged,
} from './openapi-schemas';
import {
  catalogueLookupSchema,
  day,
  heldLineFilterSchema,
  HOSPITAL_ITEM_STATUSES,
  hospitalItemFilterSchema,
  parseInput,
  text,
} from './query-filters';
import { apply, PAGE } from './read-models.controller';
import { ReadModels } from './read-models';
import { RoleRedaction } from './role-redaction';

const mapSchema = z
  .object({
    med_list_codg: text(50, 1),
    begndate: day.optional(),
    enddate: day.optional(),
    request_id: requestId,
  })
  .strict()
  .refine((v) => !v.begndate || !v.enddate || v.begndate <= v.enddate, {
    message: 'must not end before it begins',
    path: ['enddate'],
  });
const withdrawSchema = z.object({ request_id: requestId }).strict();
const decideSchema = z
  .object({
    feedetl_sns: z.array(text(30, 1)).min(1).max(500),
    decision: z.enum(['UPLOAD_ANYWAY', 'VOID']),
    comment: text(500, 1),
    request_id: requestId,
  })
  .strict();
const downloadSchema = withdrawSchema;
const infnoSchema = z.enum(DOWNLOADABLE_CATALOGUES);
// 20,000 rows of about 120 bytes: the import route's body limit (start-billing-dashboard.ts) is 4 MB.
const importSchema = z.object({ csv: z.string().min(1).max(4_000_000), request_id: requestId }).strict();

class MapBody extends ActionRequest {
  @ApiProperty({ description: 'The national code (医疗目录编码)' }) med_list_codg!: string;
  @ApiPropertyOptional({ description: 'Valid from, yyyy-MM-dd (default: today)' }) begndate?: string;
  @ApiPropertyOptional({ description: 'Valid until (default: 2099-12-31)' }) enddate?: string;
}
class DecideBody extends ActionRequest {
  @ApiProperty({ description: '费用明细流水号 of held lines of the visit', type: [String] })
  feedetl_sns!: string[];
  @ApiProperty({
    enum: ['UPLOAD_ANYWAY', 'VOID'],
    description:
      'UPLOAD_ANYWAY (lines held for their price only): the platform may refuse it, the excess is self-pay',
  })
  decision!: 'UPLOAD_ANYWAY' | 'VOID';
  @ApiProperty({ description: 'Why, for the record' }) comment!: string;
}
class ImportBody extends ActionRequest {
  @ApiProperty({
    description: `The CSV file's text (UTF-8, header row; columns ${ITEM_CSV_COLUMNS.join(', ')}; ≤ ${MAX_IMPORT_ROWS} rows)`,
  })
  csv!: string;
}

/**
 * 目录对照 (apps/catalogue): the hospital's items with their mappings, unmapped first, for every role (item
 * names and codes, no patient data), and the fee lines held for an unmapped item per visit (their reasons masked
 * for viewers and operators); an operator maps or withdraws an item (ConfirmItemMapping /
 * WithdrawItemMapping, 3301/3302 by catalogue) and imports the item list from CSV; anyone exports it, and
 * browses the downloaded catalogues (目录查询: 1307–1315, 1312, 1318, 1319, 1901, read from the catalogue service).
 */
@ApiTags('catalogue')
@ApiUnauthorizedResponse({ description: 'No session, or the session expired' })
@ApiForbiddenResponse({ description: 'The role may not do this' })
@Controller('api/catalogue')
@UseGuards(SessionGuard)
@Roles('viewer', 'operator', 'admin')
export class CatalogueController {
  constructor(
    @Inject(ReadModels) private readonly models: ReadModels,
    @Inject(OperatorActions) private readonly actions: OperatorActions,
    @Inject(CatalogueReads) private readonly catalogue: CatalogueReads,
  ) {}

  @Get('items')
  @ApiOperation({ summary: "The hospital's items and their mappings (目录对照)" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiQuery({ name: 'status', required: false, enum: HOSPITAL_ITEM_STATUSES })
  @ApiQuery({ name: 'list_type', required: false, description: '目录类别, e.g. 101' })
  @ApiQuery({ name: 'q', required: false, description: 'code or name, by prefix' })
  @apply(PAGE)
  @ApiOkResponse({
    schema: paged(HOSPITAL_ITEM),
    description: "The hospital's items and their mappings (3301 mapped, 3302 withdrawn), unmapped first",
  })
  items(@Query() query: unknown) {
    return this.models.hospitalItems(parseInput(hospitalItemFilterSchema, query));
  }

  @Get('versions')
  @ApiOperation({ summary: "Each downloaded catalogue's version and last download" })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: CATALOGUE_VERSIONS,
    description:
      'Each catalogue downloaded: the version held and its last download (CatalogueVersionDownloaded)',
  })
  versions() {
    return this.models.catalogueVersions();
  }

  @Post('downloads/:infno')
  @ApiOperation({ summary: 'Download a catalogue now (DownloadCatalogue)' })
  @HttpCode(202)
  @Roles('admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({ type: Accepted, description: 'DownloadCatalogue is recorded and leaves' })
  @ApiBadRequestResponse({ description: 'Not a catalogue the catalogue service downloads' })
  download(
    @CurrentUser() user: SessionUser,
    @Param('infno') infno: string,
    @Body() body: ActionRequest,
  ): Promise<ActionAccepted> {
    const input = parseInput(downloadSchema, body);
    return this.actions.downloadCatalogue(user, parseInput(infnoSchema, infno), input.request_id);
  }

  @Get('items/:itemId/suggestions')
  @ApiOperation({ summary: 'National codes suggested for a hospital item' })
  @Roles('operator', 'admin')
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: SUGGESTIONS,
    description:
      'National codes of the same list type by name, spec and manufacturer, best first (catalogue)',
  })
  @ApiNotFoundResponse({ description: 'The catalogue service does not know the item' })
  @ApiServiceUnavailableResponse({ description: 'The catalogue service is unreachable' })
  suggest(@Param('itemId') itemId: string) {
    return this.catalogue.suggestions(parseInput(text(30, 1), itemId));
  }

  @Get('lookup')
  @ApiOperation({ summary: 'The downloaded catalogues one can browse (目录查询)' })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiOkResponse({
    schema: LOOKUP_KINDS,
    description:
      '目录查询: every kind the catalogue service keeps (1307–1315, 1312, 1318, 1319, 1901), rows held',
  })
  @ApiServiceUnavailableResponse({ description: 'The catalogue service is unreachable' })
  lookupKinds() {
    return this.catalogue.kinds();
  }

  @Get('lookup/:kind')
  @ApiOperation({ summary: 'Rows of a downloaded catalogue by code, name and validity' })
  @ApiCookieAuth(SESSION_SECURITY)
  @ApiQuery({ name: 'code', required: false, description: 'the code, or its first characters' })
  @ApiQuery({ name: 'name', required: false, description: "the name's first characters" })
  @ApiQuery({ name: 'date', required: false, description: 'yyyy-MM-dd: only rows valid that day' })
  @apply(PAGE)
  @ApiOkResponse({ schema: LOOKUP_ROWS, description: "A kind's rows, by code (catalogue's lookup tables)" })
  @ApiNotFoundResponse({ description: 'Not a kind the catalogue service keeps' })
  @ApiServiceUnavailableResponse({ description: 'The catalogue service is unreachable' })
  lookup(@Param('kind') kind: string, @Query() query: unknown) {
    return this.catalogue.lookup(parseInput(text(30, 1), kind), parseInput(catalogueLookupSchema, query));
  }

  @Get('held-lines')
  @ApiOperation({ summary: 'Fee lines held before upload, with their reason' })
  @ApiCookieAuth(SESSION_SECURITY)
  @UseInterceptors(RoleRedaction)
  @ApiQuery({ name: 'status', required: false, enum: ['held', 'released'] })
  @apply(PAGE)
  @ApiOkResponse({
    schema: paged(HELD_LINES),
    description: 'Fee lines fee-detail holds (FeeLinesHeld) until their item is mapped, per visit',
  })
  heldLines(@Query() query: unknown) {
    return this.models.heldLines(parseInput(heldLineFilterSchema, query));
  }

  @Post('held-lines/:iptNo/decide')
  @ApiOperation({ summary: 'Decide on held fee lines: upload anyway, or void (DecideHeldFeeLines)' })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'DecideHeldFeeLines is recorded and leaves (fee-detail answers HeldFeeLinesDecided)',
  })
  @ApiConflictResponse({ description: 'A line is not held, or waits for its mapping and cannot go up' })
  decideHeld(
    @CurrentUser() user: SessionUser,
    @Param('iptNo') iptNo: string,
    @Body() body: DecideBody,
  ): Promise<ActionAccepted> {
    const { request_id, ...input } = parseInput(decideSchema, body);
    return this.actions.decideHeldLines(
      user,
      { ipt_no: parseInput(text(30, 1), iptNo), ...input },
      request_id,
    );
  }

  @Get('items/export.csv')
  @ApiOperation({ summary: "The hospital's items and mappings as CSV" })
  @ApiCookieAuth(SESSION_SECURITY)
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="hospital-items.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'Every item with its mapping, as CSV' })
  async export(): Promise<string> {
    return itemsToCsv(await this.models.allHospitalItems());
  }

  @Post('items/import')
  @ApiOperation({ summary: "Import the hospital's item list from CSV" })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    schema: ITEMS_IMPORTED,
    description: 'Every row valid: the items are recorded and published (his.catalogue) in one transaction',
  })
  @ApiBadRequestResponse({
    description:
      'Some rows are wrong: `errors` lists each (line, column, field, code and params, why in Chinese); none sent',
  })
  importItems(@CurrentUser() user: SessionUser, @Body() body: ImportBody) {
    const input = parseInput(importSchema, body);
    const parsed = parseItemCsv(input.csv);
    if (parsed.errors.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${parsed.errors.length} 处错误，未导入任何项目`,
        errors: parsed.errors.slice(0, 500),
      });
    }
    return this.actions.importItems(user, parsed.items, input.request_id);
  }

  @Post('items/:itemId/map')
  @ApiOperation({ summary: 'Map an item to a national code (3301)' })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'ConfirmItemMapping is recorded and leaves (3301 follows)',
  })
  @ApiNotFoundResponse({ description: 'No such hospital item' })
  map(
    @CurrentUser() user: SessionUser,
    @Param('itemId') itemId: string,
    @Body() body: MapBody,
  ): Promise<ActionAccepted> {
    const { request_id, ...input } = parseInput(mapSchema, body);
    return this.actions.confirmMapping(
      user,
      { fixmedins_hilist_id: parseInput(text(30, 1), itemId), ...input },
      request_id,
    );
  }

  @Post('items/:itemId/withdraw')
  @ApiOperation({ summary: "Withdraw an item's mapping (3302)" })
  @HttpCode(202)
  @Roles('operator', 'admin')
  @ApiSessionAndCsrf()
  @ApiAcceptedResponse({
    type: Accepted,
    description: 'WithdrawItemMapping is recorded and leaves (3302 follows)',
  })
  @ApiNotFoundResponse({ description: 'No such hospital item' })
  @ApiConflictResponse({ description: 'The item is not mapped' })
  withdraw(
    @CurrentUser() user: SessionUser,
    @Param('itemId') itemId: string,
    @Body() body: ActionRequest,
  ): Promise<ActionAccepted> {
    const input = parseInput(withdrawSchema, body);
    return this.actions.withdrawMapping(user, parseInput(text(30, 1), itemId), input.request_id);
  }
}
