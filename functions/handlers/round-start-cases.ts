import * as z from 'zod/mini';
import { engine } from '../adapters/engine';
import { caseBatches, processingLog, repository } from '../adapters/repository';
import { systemClock } from '../domain/clock';
import { rounds } from '../rounds/repository';
import { startRoundCases } from '../rounds/start-cases';
import { linkTtlDays, publicUrl, retentionDays } from '../shared/settings';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';
import { roundIdParam } from './round-params';
import { taskHandler } from './task';

// Round machine, the Distributed Map's item processor: one batch of valid.csv rows becomes cases.
// The rows come sealed with the round's key; only their line numbers are in clear.

const id = z.string().check(z.minLength(1), z.maxLength(200));
const schema = z.object({
  BatchInput: z.object({ roundId: roundIdParam, org: id, serviceId: id }),
  // The CSV reader hands every column over as a string; the rows were validated before.
  Items: z.array(z.record(z.string(), z.string())).check(z.maxLength(10_000)),
});

const deps = {
  repo: repository,
  batches: caseBatches,
  log: processingLog,
  engine,
  rounds,
  clock: systemClock,
  vault,
  publicUrl,
  linkTtlDays,
  retentionDays,
};

// The trace is the X-Ray trace the round machine runs the batch under (or a new one).
export const handler = taskHandler('round-start-cases', schema, (batch) =>
  startRoundCases(deps, batch, traceOf()),
);
