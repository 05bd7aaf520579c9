import { request } from '../contract/get-round';
import { providerOf } from '../domain/access';
import { rounds } from '../rounds/repository';
import { getRound, roundDto } from '../rounds/rounds';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';

// GET /rounds/{roundId}: progress, the first row errors and failures (their references opened with the
// round's key). Another organisation's round is a 404.

export const handler = httpRoute(request, async ({ path, claims }) =>
  json(200, roundDto(await getRound({ rounds, vault }, providerOf(claims), path.roundId))),
);
