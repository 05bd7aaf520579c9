import * as z from 'zod/mini';
import { singleLine } from '../domain/input-policy';
import { staffClaims } from './staff';

// POST /rounds

export const request = z.object({
  body: z.strictObject({
    serviceId: singleLine(40, 1),
    name: singleLine(100, 1),
    onInvalid: z.optional(z.enum(['skip', 'reject'])),
  }),
  claims: staffClaims,
});
