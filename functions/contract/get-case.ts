import * as z from 'zod/mini';
import { caseIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// GET /cases/{caseId}[?view=status]

/** `status`: statuses and timings only (domain/status-view.ts), for a system that polls the case. */
export const CASE_VIEWS = ['status'] as const;

export const request = z.object({
  path: z.object({ caseId: caseIdParam }),
  query: z.object({
    view: z.optional(z.enum(CASE_VIEWS, { error: `Use view=${CASE_VIEWS.join(' or view=')}, or no view.` })),
  }),
  claims: staffClaims,
});
