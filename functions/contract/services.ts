import * as z from 'zod/mini';

// GET /services: no input.

export const request = z.object({});
