import * as z from 'zod/mini';
import { singleLine } from '../domain/input-policy';
import { caseIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// POST /cases/{caseId}/cancel

/** Why the case stops: shown to both partners and kept in the event log (the console takes it too). */
export const cancelReason = singleLine(500, 1, 'Give a reason.');

export const request = z.object({
  path: z.object({ caseId: caseIdParam }),
  body: z.strictObject({ reason: cancelReason }),
  claims: staffClaims,
});
