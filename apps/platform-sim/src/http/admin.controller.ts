import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Request } from 'express';
import { BooksUnavailableError, SimBooks } from '../books/sim-books';
import { FileCatalogues } from '../catalogue/catalogue-files';
import { GeneratedCatalogue } from '../catalogue/generated-catalogue';
import { FaultPlan, FaultSpecError, parseFaultSpec, type ActiveFault } from '../faults/fault-plan';
import type { LedgerSnapshot, VisitSnapshot } from '../ledger/ledger-snapshot';
import { SimLedger } from '../ledger/sim-ledger';
import { readRawBody } from './raw-body';

/** The simulator's own API for tests and operators: arm faults, read what the platform applied, reset. */
@Controller('sim')
export class AdminController {
  constructor(
    @Inject(SimLedger) private readonly ledger: SimLedger,
    @Inject(FaultPlan) private readonly faults: FaultPlan,
    @Inject(SimBooks) private readonly books: SimBooks,
    @Inject(GeneratedCatalogue) private readonly catalogue: GeneratedCatalogue,
    @Inject(FileCatalogues) private readonly files: FileCatalogues,
  ) {}

  /** The generated catalogue's size: {items, file_rows}. */
  @Get('catalogue')
  catalogueSize(): { items: number; file_rows: number } {
    return { items: this.catalogue.size, file_rows: this.files.rows };
  }

  /**
   * Publishes a new catalogue version: {items?, file_rows?} (more items: rows updated after every one before;
   * more file rows: a new 版本号 of each file catalogue holding them).
   */
  @Post('catalogue')
  @HttpCode(200)
  async resizeCatalogue(@Req() req: Request): Promise<{ items: number; file_rows: number }> {
    let body: { items?: unknown; file_rows?: unknown };
    try {
      body = JSON.parse(await readRawBody(req)) as typeof body;
    } catch {
      throw new BadRequestException('catalogue: the body is not valid JSON');
    }
    const whole = (value: unknown) =>
      value === undefined || (Number.isInteger(value) && (value as number) >= 0);
    if (!whole(body.items) || !whole(body.file_rows) || (body.items ?? body.file_rows) === undefined)
      throw new BadRequestException('catalogue: items and file_rows must be whole numbers (one at least)');
    if (body.items !== undefined) this.catalogue.resize(body.items as number);
    if (body.file_rows !== undefined) this.files.grow(body.file_rows as number);
    return this.catalogueSize();
  }

  /** Arms a fault: {infno, mode, times?, latencyMs?, errMsg?}. */
  @Post('faults')
  @HttpCode(201)
  async armFault(@Req() req: Request): Promise<ActiveFault[]> {
    const text = await readRawBody(req);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new BadRequestException('fault: the body is not valid JSON');
    }
    try {
      this.faults.arm(parseFaultSpec(raw));
    } catch (err) {
      if (err instanceof FaultSpecError) throw new BadRequestException(err.message);
      throw err;
    }
    return this.faults.list();
  }

  @Get('faults')
  listFaults(): ActiveFault[] {
    return this.faults.list();
  }

  /** Clears every fault, or only `?infno=`'s. */
  @Delete('faults')
  clearFaults(@Query('infno') infno?: string): ActiveFault[] {
    this.faults.clear(infno || undefined);
    return this.faults.list();
  }

  /**
   * Sets the platform's clock: {at} (an ISO instant; it runs on from there), e.g. a test's week of settlement
   * days; {} puts it back to the real time. Answers the platform's time now.
   */
  @Post('clock')
  @HttpCode(200)
  async setClock(@Req() req: Request): Promise<{ now: string }> {
    let at: unknown;
    try {
      ({ at } = JSON.parse(await readRawBody(req)) as { at?: unknown });
    } catch {
      throw new BadRequestException('clock: the body is not valid JSON');
    }
    if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at))))
      throw new BadRequestException('clock: at must be an ISO date-time (or absent: the real time)');
    return { now: this.ledger.setClock(at === undefined ? undefined : new Date(at)).toISOString() };
  }

  @Get('ledger')
  ledgerSnapshot(): LedgerSnapshot {
    return this.ledger.snapshot();
  }

  @Get('ledger/visits/:mdtrt_id')
  visit(@Param('mdtrt_id') mdtrt_id: string): VisitSnapshot {
    const visit = this.ledger.visit(mdtrt_id);
    if (!visit) throw new NotFoundException(`no visit with mdtrt_id ${mdtrt_id}`);
    return visit;
  }

  /** Back to the seeded state with no faults armed and the real time, in the persisted books too (ids go on, never reissued). */
  @Post('reset')
  @HttpCode(204)
  async reset(): Promise<void> {
    this.faults.clear();
    this.ledger.setClock();
    try {
      await this.books.reset();
    } catch (err) {
      if (err instanceof BooksUnavailableError) throw new ServiceUnavailableException(err.message);
      throw err;
    }
  }
}
