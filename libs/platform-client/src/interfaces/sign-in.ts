import { z } from 'zod';
import { outStr, str } from './fields';

// 9001 签到 / 9002 签退 (spec §2).

export const input9001 = z
  .object({
    signIn: z
      .object({
        opter_no: str(20),
        // Optional in OH; some regions require it.
        mac: str(20).optional(),
        ip: str(20),
      })
      .strict(),
  })
  .strict();

export const output9001 = z
  .object({
    // Every later call carries the sign_no; the time is informative.
    signinoutb: z.object({ sign_time: outStr().optional(), sign_no: outStr() }).passthrough(),
  })
  .passthrough();

export const input9002 = z
  .object({
    signOut: z.object({ sign_no: str(30).optional(), opter_no: str(20) }).strict(),
  })
  .strict();

export const output9002 = z
  .object({
    signoutoutb: z.object({ sign_time: outStr().optional() }).passthrough().optional(),
  })
  .passthrough();
