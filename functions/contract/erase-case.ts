import * as z from 'zod/mini';
import { singleLine } from '../domain/input-policy';
import { caseIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// POST /cases/{caseId}/erase

/** Why the personal data goes: kept, sealed with the stack's key, in the case's processing log. */
export const eraseReason = singleLine(500, 1, 'Give a reason.');

export const request = z.object({
  path: z.object({ caseId: caseIdParam }),
  body: z.strictObject({ reason: eraseReason }),
  claims: staffClaims,
});
