import * as z from 'zod/mini';
import { roundFiles } from '../adapters/round-files';
import { rounds } from '../adapters/rounds';
import { validateRound } from '../domain/round-validate';
import { vault } from '../shared/vault';
import { roundIdParam } from './round-params';
import { taskHandler } from './task';

// Round machine, state `Validate rows`: checks every row of the upload, writes valid.csv for the Map.

const schema = z.object({ roundId: roundIdParam });

export const handler = taskHandler('round-validate', schema, ({ roundId }) =>
  validateRound({ rounds, files: roundFiles, vault }, roundId),
);
