import { request } from '../contract/create-round';
import { providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { roundFiles } from '../rounds/files';
import { rounds } from '../rounds/repository';
import { createRound } from '../rounds/rounds';
import { httpRoute, json } from '../shared/http';
import { retentionDays } from '../shared/settings';
import { vault } from '../shared/vault';

// POST /rounds: a provider creates a round (or finds it again by name) and gets a URL to PUT the CSV to.

const deps = { rounds, files: roundFiles, clock: systemClock, vault, retentionDays };

export const handler = httpRoute(request, async ({ body, claims }) => {
  const { created, result } = await createRound(deps, providerOf(claims), body);
  return json(created ? 201 : 200, result);
});
