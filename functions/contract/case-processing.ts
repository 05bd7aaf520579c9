import * as z from 'zod/mini';
import { caseIdParam } from '../handlers/params';
import { cursorParam } from './cursor';
import { staffClaims } from './staff';

// GET /cases/{caseId}/processing?cursor=

export const request = z.object({
  path: z.object({ caseId: caseIdParam }),
  query: z.object({ cursor: z.optional(cursorParam) }),
  claims: staffClaims,
});
