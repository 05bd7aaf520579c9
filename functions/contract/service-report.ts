import * as z from 'zod/mini';
import { staffClaims } from './staff';

// GET /services/{serviceId}/report?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv][&lang=nl|en]
// The dates' calendar check and the range rule are the domain's (reports/report.ts: reportRange).

const day = z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD.')));

export const request = z.object({
  path: z.object({
    serviceId: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'Not a service id.')),
  }),
  query: z.object({
    from: day,
    to: day,
    format: z.optional(z.enum(['json', 'csv'])),
    lang: z.optional(z.enum(['nl', 'en'])),
  }),
  headers: z.looseObject({ accept: z.optional(z.string()) }),
  claims: staffClaims,
});
