import * as z from 'zod/mini';
import { caseIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// GET /cases/{caseId}

export const request = z.object({ path: z.object({ caseId: caseIdParam }), claims: staffClaims });
