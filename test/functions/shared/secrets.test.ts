import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearSecretCache,
  SecretReadError,
  secretReader,
  TWILIO_TOKEN_MAX_AGE,
} from '../../../functions/shared/secrets';

const secrets = mockClient(SecretsManagerClient);
const arn = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:coproduce/test/twilio-auth-token-GhIjKl';
const START = new Date('2026-03-02T09:00:00.000Z');

beforeEach(() => {
  clearSecretCache();
  // Only Date: the cache dates its entries; the SDK's own timers keep running.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  secrets.reset();
  vi.useRealTimers();
});

const later = (seconds: number) => vi.setSystemTime(new Date(START.getTime() + seconds * 1000));

describe('secretReader', () => {
  it('reads the secret by ARN once within maxAge, and again after it', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'token-1' }).resolves({
      SecretString: 'token-2',
    });
    const read = secretReader(arn, TWILIO_TOKEN_MAX_AGE);
    await expect(read()).resolves.toBe('token-1');
    later(TWILIO_TOKEN_MAX_AGE - 1);
    await expect(read()).resolves.toBe('token-1');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: arn });
    later(TWILIO_TOKEN_MAX_AGE + 1);
    await expect(read()).resolves.toBe('token-2');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('reads again at once when asked to refresh', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'old' }).resolves({ SecretString: 'new' });
    const read = secretReader(arn, TWILIO_TOKEN_MAX_AGE);
    await read();
    await expect(read({ refresh: true })).resolves.toBe('new');
    await expect(read()).resolves.toBe('new');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('fails with the ARN and the SDK error name, and caches nothing', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .resolves({ SecretString: 'token' });
    const read = secretReader(arn, TWILIO_TOKEN_MAX_AGE);
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretReadError);
    expect((error as Error).message).toBe(`Could not read the secret ${arn}: ResourceNotFoundException`);
    await expect(read()).resolves.toBe('token');
  });

  it('refuses an empty or binary secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(secretReader(arn, 1)()).rejects.toThrow(/no string value/);
  });
});
