import * as z from 'zod/mini';
import { caseIdParam, stepIdParam } from '../handlers/params';
import { staffClaims } from './staff';

// POST /cases/{caseId}/steps/{stepId}: JSON `{ data }` from an API client, or a urlencoded form whose
// fields are the data itself. The data is checked against the step's form in the domain.

/** The JSON body; the form fields' own rules (input-policy.ts through forms.ts) apply to `data`. */
export const stepAnswers = z.strictObject({ data: z.record(z.string(), z.unknown()) });

export const request = z.object({
  path: z.object({ caseId: caseIdParam, stepId: stepIdParam }),
  headers: z.object({ 'content-type': z.optional(z.string()) }),
  body: z.unknown(),
  claims: staffClaims,
});
