import * as z from 'zod/mini';
import { rounds } from '../adapters/rounds';
import { providerOf } from '../domain/access';
import { getRound, roundDto } from '../domain/rounds';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';
import { roundIdParam } from './round-params';

// GET /rounds/{roundId}: progress, the first row errors and failures (their references opened with the
// round's key). Another organisation's round is a 404.

const schema = z.object({
  path: z.object({ roundId: roundIdParam }),
  claims: z.record(z.string(), z.unknown()),
});

export const handler = httpRoute(schema, async ({ path, claims }) =>
  json(200, roundDto(await getRound({ rounds, vault }, providerOf(claims), path.roundId))),
);
