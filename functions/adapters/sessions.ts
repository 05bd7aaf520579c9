import type { SessionStore } from '../console/session';
import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoSessionStore } from './dynamo-sessions';

// The console's session store; a function deployed without TABLE_NAME fails at init.
export const sessions: SessionStore = new DynamoSessionStore(documentClient(), requireEnv('TABLE_NAME'));
