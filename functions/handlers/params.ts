import * as z from 'zod/mini';

// Path parameters shared by several routes. Case ids are 32 hex characters; step ids are slugs.

export const caseIdParam = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a case id.'));
export const stepIdParam = z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/, 'Not a step id.'));
