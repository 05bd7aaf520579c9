import * as z from 'zod/mini';
import { roundIdParam } from '../handlers/round-params';
import { staffClaims } from './staff';

// POST /rounds/{roundId}/start

export const request = z.object({ path: z.object({ roundId: roundIdParam }), claims: staffClaims });
