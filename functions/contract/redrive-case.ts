import * as z from 'zod/mini';
import { caseIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// POST /cases/{caseId}/redrive

export const request = z.object({ path: z.object({ caseId: caseIdParam }), claims: staffClaims });
