import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  Query,
} from '@nestjs/common';
import { z } from 'zod';
import { CatalogueLookup, type LookupKind, type LookupPage } from '../lookup/catalogue-lookup';

const MAX_PAGE_SIZE = 200;

const querySchema = z
  .object({
    code: z.string().trim().max(50).optional(),
    name: z.string().trim().max(50).optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  })
  .strict();

/** What a query parameter must be, as the billing office reads it. */
const WHY: Record<string, string> = {
  code: '编码最多50个字符',
  name: '名称最多50个字符',
  date: '日期须为 yyyy-MM-dd',
  page: '页码须为正整数',
  page_size: `每页行数须为 1–${MAX_PAGE_SIZE}`,
};

/**
 * 目录查询, read-only: the kinds downloaded (each with its catalogues, columns and rows held) and a kind's rows by
 * code prefix, name prefix and validity on a date (the dashboard's 目录查询 page asks it through
 * DASHBOARD_CATALOGUE_URL). Catalogue rows only: no patient data.
 */
@Controller('catalogue/lookup')
export class LookupController {
  constructor(@Inject(CatalogueLookup) private readonly lookup: CatalogueLookup) {}

  @Get()
  kinds(): Promise<LookupKind[]> {
    return this.lookup.kinds();
  }

  @Get(':kind')
  rows(@Param('kind') kind: string, @Query() query: unknown): Promise<LookupPage> {
    const table = CatalogueLookup.table(kind);
    if (!table) throw new NotFoundException(`没有这类目录：${kind}`);
    const parsed = querySchema.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      if (issue.code === 'unrecognized_keys')
        throw new BadRequestException(`不认识的查询参数：${issue.keys.join(', ')}`);
      throw new BadRequestException(WHY[String(issue.path[0])]);
    }
    const { code, name, date, page, page_size } = parsed.data;
    return this.lookup.find(table, {
      ...(code && { code }),
      ...(name && { name }),
      ...(date && { date }),
      page,
      pageSize: page_size,
    });
  }
}
