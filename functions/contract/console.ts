import * as z from 'zod/mini';

// GET /console, GET and POST /console/{proxy+}: server-rendered HTML behind the console's own session
// (functions/console/). Its forms are checked by the page they post to (console/actions.ts).

export const request = z.object({
  path: z.object({ proxy: z.optional(z.string().check(z.maxLength(300))) }),
  query: z.record(z.string(), z.string()),
  body: z.optional(z.record(z.string(), z.unknown())),
});
