import * as z from 'zod/mini';
import { singleLine } from '../domain/input-policy';
import { caseIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// POST /cases/{caseId}/reopen (staff) and POST /c/{linkToken}/reopen (the citizen, through the
// citizen page's request): "it is not done", with a reason.

/** Why the case is not done: shown to both partners, sealed with the case's key in the event log. */
export const reopenReason = singleLine(500, 1, 'Say what is not done.');

export const reopenBody = z.strictObject({ reason: reopenReason });

export const request = z.object({
  path: z.object({ caseId: caseIdParam }),
  body: reopenBody,
  claims: staffClaims,
});
