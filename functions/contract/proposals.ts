import * as z from 'zod/mini';
import { singleLine } from '../domain/input-policy';
import { caseIdParam, stepIdParam } from '../handlers/params';
import { ValidationError } from '../shared/errors';
import { staffClaims } from './staff';

// Negotiated due dates (issue 12): POST .../steps/{stepId}/proposals `{ dueAt, reason }` proposes a
// new due date; POST .../proposals/{proposalId} `{ accept, note? }` answers the other partner's. The
// staff routes (/cases/{caseId}/...) and the citizen's (/c/{linkToken}/..., JSON or the page's form)
// take the same bodies. The reason and note are personal free text: sealed with the case's key.

export const proposalBody = z.strictObject({
  dueAt: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the day as YYYY-MM-DD.')),
  reason: singleLine(300, 1, 'Say why this day suits better.'),
});

export const answerBody = z.strictObject({
  accept: z.boolean(),
  note: z.optional(singleLine(300)),
});

/** `<stepId>-<10 hex>` (functions/proposals/propose.ts). */
export const proposalIdParam = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{1,39}-[0-9a-f]{10}$/, 'Not a proposal id.'));

/** Both staff routes: the body is checked per route (parseBody). */
export const request = z.object({
  path: z.object({
    caseId: caseIdParam,
    stepId: z.optional(stepIdParam),
    proposalId: z.optional(proposalIdParam),
  }),
  body: z.unknown(),
  claims: staffClaims,
});

/** Both citizen routes; the link token is checked by the domain, like the citizen page's. */
export const citizenRequest = z.object({
  path: z.object({
    linkToken: z.string().check(z.maxLength(128)),
    stepId: z.optional(stepIdParam),
    proposalId: z.optional(proposalIdParam),
  }),
  query: z.object({ lang: z.optional(z.string().check(z.maxLength(16))) }),
  headers: z.object({
    accept: z.optional(z.string()),
    'accept-language': z.optional(z.string()),
    'content-type': z.optional(z.string()),
  }),
  body: z.unknown(),
});

/** A body by its route's schema, or a 400 naming the fields (as the edge names them: body.<field>). */
export function parseBody<S extends z.ZodMiniType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[['body', ...issue.path].join('.')] ??= issue.message;
  throw new ValidationError(`Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
}

/** A form's answer: the button pressed says accept=true or accept=false. */
export function answerFromForm(values: Record<string, string>): unknown {
  const { accept, note } = values;
  return {
    accept: accept === 'true' ? true : accept === 'false' ? false : accept,
    ...(note !== undefined && note.trim() !== '' && { note }),
  };
}
