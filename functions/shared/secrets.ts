import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

// Secrets are read at runtime from Secrets Manager (Powertools Parameters caches them per container),
// never from the environment, which holds only their ARNs. The secrets subpath, not the package root:
// a handler then bundles the Secrets Manager client alone, not SSM, AppConfig and DynamoDB ones too.

/** The Twilio token: a rotated token is picked up within five minutes, without a deploy. */
export const TWILIO_TOKEN_MAX_AGE = 300;
/** The PII key never rotates (it seals stored data); an hour spares a request per invocation. */
export const PII_KEY_MAX_AGE = 3600;

/** A failed read. The message names the secret's ARN and the SDK's error name, never a value. */
export class SecretReadError extends Error {
  constructor(arn: string, reason: string) {
    super(`Could not read the secret ${arn}: ${reason}`);
    this.name = 'SecretReadError';
  }
}

export type SecretReader = (options?: { refresh?: boolean }) => Promise<string>;

/**
 * Reads one secret's string value, cached for `maxAge` seconds; `refresh` skips the cache (for a
 * token the other side just refused: it may have been rotated).
 */
export function secretReader(arn: string, maxAge: number): SecretReader {
  return async (options = {}) => {
    let value: unknown;
    try {
      value = await getSecret(arn, { maxAge, forceFetch: options.refresh === true });
    } catch (error) {
      throw new SecretReadError(arn, causeName(error));
    }
    if (typeof value !== 'string' || value === '') throw new SecretReadError(arn, 'no string value');
    return value;
  };
}

/** Powertools wraps the SDK's error (GetParameterError); its cause says what happened. */
function causeName(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.name : 'unknown error';
}
