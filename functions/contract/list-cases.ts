import * as z from 'zod/mini';
import { CASE_STATUSES } from '../domain/model';
import { cursorParam } from './cursor';
import { staffClaims } from './staff';

// GET /cases?serviceId=&status=&limit=&cursor=

export const request = z.object({
  query: z.object({
    serviceId: z.string().check(z.minLength(1, 'serviceId is required.'), z.maxLength(40)),
    status: z.optional(z.enum(CASE_STATUSES)),
    limit: z.optional(z.string().check(z.regex(/^(100|[1-9]\d?)$/, 'Use a whole number from 1 to 100.'))),
    cursor: z.optional(cursorParam),
  }),
  claims: staffClaims,
});
