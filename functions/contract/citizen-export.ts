import * as z from 'zod/mini';

// GET /c/{linkToken}/export: like the citizen page, the link token is the credential (checked by the
// domain); the download takes no query, headers or body of its own.

export const request = z.object({
  path: z.object({ linkToken: z.optional(z.string().check(z.maxLength(128))) }),
});
