import { z } from 'zod';
import { defineContract } from './contract';
import { code } from './field-formats';
import { Topics } from './topics';

// Every service reports each platform call it settled, for the billing office's "platform health" view. It is
// an observation, not a business fact: published straight after the call, keyed by the visit when there is one.

export const PlatformCallCompletedV1 = defineContract({
  type: 'PlatformCallCompleted',
  version: 1,
  topic: Topics.platformCalls,
  summary: 'A platform call ended: which interface, from which service, with what outcome and latency.',
  data: z
    .object({
      service: code(40).describe('The calling service, e.g. settlement'),
      infno: z
        .string()
        .regex(/^\d{4}[A-Z]?$/, { message: 'must be an interface number such as 2304' })
        .describe('交易编号'),
      msgid: z
        .string()
        .regex(/^[A-Z0-9]{12}\d{18}$/, { message: 'must be a platform msgid (fixmedins_code + 18 digits)' })
        .describe('报文ID'),
      outcome: z
        .enum(['SUCCEEDED', 'REJECTED', 'UNKNOWN'])
        .describe(
          'SUCCEEDED infcode 0; REJECTED a business refusal; UNKNOWN timeout, reset, 5xx, unreadable',
        ),
      duration_ms: z.number().min(0).describe('From send to answer or give-up'),
      ipt_no: z.string().max(30).optional().describe('住院号, when the call concerns a visit'),
      err_msg: z.string().max(4000).optional().describe('The platform’s err_msg or the transport error'),
    })
    .strict(),
  example: {
    service: 'settlement',
    infno: '2304',
    msgid: 'H42010200001202405081030000007',
    outcome: 'SUCCEEDED',
    duration_ms: 182.4,
    ipt_no: 'ZY20240501001',
  },
});

export const PLATFORM_CALL_CONTRACTS = [PlatformCallCompletedV1] as const;
