import * as z from 'zod/mini';
import { roundFiles } from '../adapters/round-files';
import { rounds } from '../adapters/rounds';
import { finishRound } from '../domain/round-finish';
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
