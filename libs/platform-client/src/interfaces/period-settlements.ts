import { z } from 'zod';
import { datetime, dict, int, outStr, str } from './fields';
import { settlementRecord } from './reconciliation';

// Hubei's 5262 结算信息按时间段查询 (our own area's insured) and 5267 异地结算信息时间段查询 (other areas'): the
// platform's settlements in a time window, a page at a time. No public field list exists (spec part 2 §2.6;
// searched again for this work, nothing found). As built, after the nearest analogue, Dongguan's 90502 月结对数:
// a window and a page in, `totalRow` / `totalPage` and `setlinfo[]` out, each row with 5203's fields (what our
// comparison needs: setl_id, amounts, group, refd_setl_flag). The window is 5205's begntime / endtime, the page
// 1312's page_num / page_size. Hubei's own document must confirm them at go-live.

export const inputSettlementWindow = z
  .object({
    data: z
      .object({
        begntime: datetime(),
        endtime: datetime(),
        page_num: int(4),
        page_size: int(4),
        clr_type: str(6).optional(),
        insutype: dict('insutype').optional(),
      })
      .strict(),
  })
  .strict();

export const outputSettlementWindow = z
  .object({
    // 90502 names them totalRow / totalPage; numbers or strings, and either may be missing.
    totalRow: outStr().nullish(),
    totalPage: outStr().nullish(),
    setlinfo: z
      .union([z.array(settlementRecord), settlementRecord.transform((one) => [one])])
      .nullish()
      .transform((rows) => rows ?? []),
  })
  .passthrough();
