import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// Secrets are read at runtime from Secrets Manager and cached per container, never taken from the
// environment, which holds only their ARNs. A cache of our own rather than Powertools Parameters: that
// library (and the Powertools core it brings) cost every handler's cold start about 2% of its SDK
// clients' (`npm run bench:coldstart:instructions`) for what is one call and one timestamp here.

/** The Twilio token: a rotated token is picked up within five minutes, without a deploy. */
export const TWILIO_TOKEN_MAX_AGE = 300;
/** The PII key never rotates (it seals stored data); an hour spares a request per invocation. */
export const PII_KEY_MAX_AGE = 3600;

/** The name a failed read has: Lambda reports it as the errorType a state's Retry matches on. */
export const SECRET_READ_ERROR = 'SecretReadError';

/** A failed read. The message names the secret's ARN and the SDK's error name, never a value. */
export class SecretReadError extends Error {
  constructor(arn: string, reason: string) {
    super(`Could not read the secret ${arn}: ${reason}`);
    this.name = SECRET_READ_ERROR;
  }
}

export type SecretReader = (options?: { refresh?: boolean }) => Promise<string>;

let client: SecretsManagerClient | undefined;
/** Read values by ARN, with when they were read (ms). */
const cache = new Map<string, { value: string; readAt: number }>();

/** Forgets every value read (tests; a container never needs it). */
export function clearSecretCache(): void {
  cache.clear();
}

/**
 * Reads one secret's string value, cached for `maxAge` seconds; `refresh` skips the cache (for a
 * token the other side just refused: it may have been rotated). A failure is not cached.
 */
export function secretReader(arn: string, maxAge: number): SecretReader {
  return async (options = {}) => {
    const held = cache.get(arn);
    if (held && options.refresh !== true && Date.now() - held.readAt < maxAge * 1000) return held.value;
    let value: unknown;
    try {
      client ??= new SecretsManagerClient({});
      value = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
    } catch (error) {
      throw new SecretReadError(arn, error instanceof Error ? error.name : 'unknown error');
    }
    if (typeof value !== 'string' || value === '') throw new SecretReadError(arn, 'no string value');
    cache.set(arn, { value, readAt: Date.now() });
    return value;
  };
}
