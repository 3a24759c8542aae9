import { z } from 'zod';
import { noBody, str } from './fields';

// 2601 冲正交易 (spec §3.10): reverses the transaction whose msgid is `omsgid`.

export const input2601 = z
  .object({
    data: z
      .object({
        psn_no: str(30),
        omsgid: str(30),
        // 4 characters, 5 for the "A" variants (2207A, 4101A…).
        oinfno: str(5),
      })
      .strict(),
  })
  .strict();

export const output2601 = noBody();
