import * as z from 'zod/mini';
import { roundEngine } from '../adapters/round-engine';
import { roundFiles } from '../adapters/round-files';
import { rounds } from '../adapters/rounds';
import { providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { startRound } from '../domain/rounds';
import { httpRoute, json } from '../shared/http';
import { roundIdParam } from './round-params';

// POST /rounds/{roundId}/start: validates the uploaded file and starts its cases, in the round machine.

const schema = z.object({
  path: z.object({ roundId: roundIdParam }),
  claims: z.record(z.string(), z.unknown()),
});

const deps = { rounds, files: roundFiles, engine: roundEngine, clock: systemClock };

export const handler = httpRoute(schema, async ({ path, claims }) =>
  json(202, await startRound(deps, providerOf(claims), path.roundId)),
);
