import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoRoundRepository } from './dynamo-rounds';
import type { RoundRepository } from './ports';

// The round repository every round handler uses; a function deployed without TABLE_NAME fails at init.
const tableName = requireEnv('TABLE_NAME');

export const rounds: RoundRepository = new DynamoRoundRepository(documentClient(), tableName);
