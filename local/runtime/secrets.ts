/**
 * Local values for the template's `{{resolve:secretsmanager:...}}` references. The PII key is
 * generated once and kept in DATA_DIR: a new key would make every stored hash and ciphertext useless.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Documented development default for verifying X-Twilio-Signature locally. */
export const DEV_TWILIO_AUTH_TOKEN = 'dev-twilio-auth-token';

export function localSecrets(dataDir: string): (reference: string, name: string | undefined) => string {
  const file = join(dataDir, 'secrets.json');
  const values = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const keep = (key: string) => {
    if (values[key] === undefined) {
      values[key] = randomBytes(32).toString('hex');
      writeFileSync(file, JSON.stringify(values, null, 2), { mode: 0o600 });
    }
    return values[key];
  };
  return (reference, name) => {
    if (name === 'TWILIO_AUTH_TOKEN') return process.env.TWILIO_AUTH_TOKEN || DEV_TWILIO_AUTH_TOKEN;
    if (name === 'PII_KEY') return keep('PII_KEY');
    return keep(reference);
  };
}
