import * as z from 'zod/mini';

// What every staff route receives from the gateway's JWT authorizer: the token's claims, checked by
// providerOf (functions/domain/access.ts). The contract documents them as the bearer scheme instead.

export const staffClaims = z.record(z.string(), z.unknown());
