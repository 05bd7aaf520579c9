import * as z from 'zod/mini';

// GET /openapi.json: no input.

export const request = z.object({});
