import { PiiVault } from '../domain/pii';
import { requireEnv } from './env';

/** The container's one vault, keyed by the PII_KEY secret (resolved into the environment at deploy). */
export const vault = new PiiVault(requireEnv('PII_KEY'));
