import { PiiVault } from '../domain/pii';
import { requireEnv } from './env';
import { registerSecretLoader } from './secret-loading';
import { PII_KEY_MAX_AGE, secretReader } from './secrets';

/**
 * The container's one vault. Its key is the secret PII_KEY_SECRET_ARN names, read at runtime before
 * each invocation (cached): the domain uses the vault synchronously, as before.
 */
export const vault = new PiiVault();

const readKey = secretReader(requireEnv('PII_KEY_SECRET_ARN'), PII_KEY_MAX_AGE);
registerSecretLoader(async () => vault.useKey(await readKey()));
