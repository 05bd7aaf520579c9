import * as z from 'zod/mini';

// GET /c/{linkToken}, POST /c/{linkToken}/steps/{stepId} and the delegates' routes
// (POST /c/{linkToken}/delegates, DELETE /c/{linkToken}/delegates/{delegateId}): the link token is the credential, checked
// by the domain (an unknown or malformed one is a 404 like a missing case, so tokens cannot be probed).
// A POST carries a form (with the page's `_csrf` value) or JSON `{ data }` (stepAnswers).

export const request = z.object({
  path: z.object({
    linkToken: z.optional(z.string().check(z.maxLength(128))),
    stepId: z.optional(z.string().check(z.maxLength(64))),
    delegateId: z.optional(z.string().check(z.maxLength(64))),
  }),
  query: z.object({
    lang: z.optional(z.string().check(z.maxLength(16))),
    done: z.optional(z.string().check(z.maxLength(64))),
  }),
  headers: z.object({
    accept: z.optional(z.string()),
    'accept-language': z.optional(z.string()),
    'content-type': z.optional(z.string()),
  }),
  body: z.unknown(),
});
