import * as z from 'zod/mini';
import { roundFiles } from '../rounds/files';
import { finishRound } from '../rounds/finish';
import { rounds } from '../rounds/repository';
import { roundIdParam } from './round-params';
import { taskHandler } from './task';

// Round machine, `Finish round` and `Record failure`: exact counts, the final status, files removed.

const schema = z.object({
  roundId: roundIdParam,
  // What a Catch puts at $.error: Step Functions' Error and Cause.
  error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
});

export const handler = taskHandler('round-finish', schema, (event) =>
  finishRound({ rounds, files: roundFiles }, event),
);
