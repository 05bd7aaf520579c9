import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoDelegateStore } from './dynamo-delegates';
import type { DelegateStore } from './model';

// The delegate store the citizen-page handler uses; a function deployed without TABLE_NAME fails at init.
export const delegateStore: DelegateStore = new DynamoDelegateStore(
  documentClient(),
  requireEnv('TABLE_NAME'),
);
