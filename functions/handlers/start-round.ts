import { request } from '../contract/start-round';
import { providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { roundEngine } from '../rounds/engine';
import { roundFiles } from '../rounds/files';
import { rounds } from '../rounds/repository';
import { startRound } from '../rounds/rounds';
import { httpRoute, json } from '../shared/http';

// POST /rounds/{roundId}/start: validates the uploaded file and starts its cases, in the round machine.

const deps = { rounds, files: roundFiles, engine: roundEngine, clock: systemClock };

export const handler = httpRoute(request, async ({ path, claims }) =>
  json(202, await startRound(deps, providerOf(claims), path.roundId)),
);
