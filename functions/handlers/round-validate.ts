import * as z from 'zod/mini';
import { roundFiles } from '../rounds/files';
import { rounds } from '../rounds/repository';
import { validateRound } from '../rounds/validate';
import { vault } from '../shared/vault';
import { roundIdParam } from './round-params';
import { taskHandler } from './task';

// Round machine, state `Validate rows`: checks every row of the upload, writes valid.csv for the Map.

const schema = z.object({ roundId: roundIdParam });

export const handler = taskHandler('round-validate', schema, ({ roundId }) =>
  validateRound({ rounds, files: roundFiles, vault }, roundId),
);
