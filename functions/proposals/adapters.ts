import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoProposalStore } from './dynamo-proposals';
import type { ProposalStore } from './ports';

// The proposals' store, as the handlers use them; a function without TABLE_NAME fails at init.

export const proposalStore: ProposalStore = new DynamoProposalStore(documentClient, requireEnv('TABLE_NAME'));
