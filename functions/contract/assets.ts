import * as z from 'zod/mini';

// GET /c/assets/{file}

export const request = z.object({ path: z.object({ file: z.string().check(z.maxLength(100)) }) });
