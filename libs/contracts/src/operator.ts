import { z } from 'zod';
import { code } from './field-formats';

/**
 * Who asked for an operator action (from the billing dashboard): the signed-in user and the role the
 * dashboard checked. Every action command carries it so that the receiving service records who did it.
 */
export const operatorSchema = z
  .object({
    username: code(64).describe('The dashboard user who acted'),
    role: z.enum(['operator', 'admin']).describe('The role that allowed the action'),
  })
  .strict()
  .describe('Who asked');

export type Operator = z.output<typeof operatorSchema>;

export const operatorExample: Operator = { username: 'zhangli', role: 'operator' };
