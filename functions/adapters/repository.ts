import type { CaseRepository } from '../domain/ports';
import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoCaseRepository } from './dynamo-repository';

// The repository every handler uses; a function deployed without TABLE_NAME fails at init.
const tableName = requireEnv('TABLE_NAME');

export const repository: CaseRepository = new DynamoCaseRepository(documentClient(), tableName);
