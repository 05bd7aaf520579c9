import * as z from 'zod/mini';

// Shapes shared by the round routes and tasks. Round ids are 32 hex characters (see newRoundId).

export const roundIdParam = z.string().check(z.regex(/^[0-9a-f]{32}$/, 'Not a round id.'));
