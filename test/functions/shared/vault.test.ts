import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PiiVault } from '../../../functions/domain/pii';
import { handler as getCase } from '../../../functions/handlers/get-case';
import { handler as smsInbound } from '../../../functions/handlers/sms-inbound';
import { clearSecretCache, PII_KEY_MAX_AGE } from '../../../functions/shared/secrets';
import { invoke, lambdaContext, staffClaims } from '../../support/http-event';
import {
  holdSecrets,
  mockSecrets,
  PII_KEY_SECRET_ARN,
  TEST_PII_KEY,
  TEST_TWILIO_AUTH_TOKEN,
  TWILIO_AUTH_TOKEN_SECRET_ARN,
} from '../../support/secrets';
import { twilioEvent, twilioParams } from '../../support/twilio';
import { caseItem } from '../handlers/items';

// The vault's key and the Twilio token come from Secrets Manager at runtime, loaded by the middleware
// of the shared HTTP stack before the handler runs; they never show up in a log line.

const ddb = mockClient(DynamoDBDocumentClient);
mockClient(SFNClient);
const secrets = mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const START = new Date('2026-03-02T09:00:00.000Z');
/** As the SDK reports an IAM refusal (the service model has no class for it). */
const accessDenied = () => Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' });

// Logs are written to stdout (functions/shared/logger.ts); every level, to see all there is.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const written: string[] = [];
const capture = (chunk: unknown) => {
  written.push(String(chunk));
  return true;
};
const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
afterAll(() => {
  stdout.mockRestore();
  stderr.mockRestore();
});

const viewCase = () =>
  invoke(getCase, {
    path: '/cases/case1',
    pathParameters: { caseId: 'case1' },
    claims: staffClaims(),
  });

beforeEach(() => {
  clearSecretCache();
  secrets.reset();
  holdSecrets(secrets);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  ddb.on(QueryCommand).resolves({
    Items: [caseItem({ citizen: { locale: 'nl', nameEnc: vault.encrypt('Sanne de Vries') } })],
  });
});
afterEach(() => {
  ddb.reset();
  vi.useRealTimers();
});

describe('the vault', () => {
  it('refuses to work before its key is loaded, naming the middleware', () => {
    expect(() => new PiiVault().hash('x')).toThrow(/not loaded.*loadSecrets\(\)/);
  });

  it('is keyed from the secret before the handler runs: read once per container within maxAge', async () => {
    const first = await viewCase();
    expect(first.statusCode).toBe(200);
    expect(first.json).toMatchObject({ citizen: { name: 'Sanne de Vries' } });
    vi.setSystemTime(new Date(START.getTime() + (PII_KEY_MAX_AGE - 1) * 1000));
    expect((await viewCase()).statusCode).toBe(200);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: PII_KEY_SECRET_ARN });

    vi.setSystemTime(new Date(START.getTime() + (PII_KEY_MAX_AGE + 1) * 1000));
    expect((await viewCase()).statusCode).toBe(200);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('a secret that cannot be read is a 500 with the usual body, logged, and nothing else runs', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: PII_KEY_SECRET_ARN })
      .rejectsOnce(accessDenied())
      .resolves({ SecretString: TEST_PII_KEY });
    written.length = 0;
    const res = await viewCase();
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side. Nothing was changed twice.' },
    });
    expect(ddb).not.toHaveReceivedAnyCommand();
    const log = written.join('');
    expect(log).toContain('unhandled error');
    expect(log).toContain(`Could not read the secret ${PII_KEY_SECRET_ARN}: AccessDeniedException`);
  });
});

describe('logs', () => {
  it('never hold the PII key or the Twilio token, whatever happens', async () => {
    written.length = 0;
    secrets
      .on(GetSecretValueCommand, { SecretId: TWILIO_AUTH_TOKEN_SECRET_ARN })
      .rejectsOnce(accessDenied())
      .resolves({ SecretString: TEST_TWILIO_AUTH_TOKEN });
    // A token that cannot be read, an unsigned request, a failing table, and plain successes.
    expect((await smsInbound(twilioEvent(twilioParams()), lambdaContext)).statusCode).toBe(500);
    const unsigned = await smsInbound(twilioEvent(twilioParams(), { signature: 'x' }), lambdaContext);
    expect(unsigned.statusCode).toBe(403);
    ddb.on(GetCommand).rejects(new Error('DynamoDB is down'));
    ddb.on(QueryCommand).rejects(new Error('DynamoDB is down'));
    expect((await smsInbound(twilioEvent(twilioParams()), lambdaContext)).statusCode).toBe(500);
    expect((await viewCase()).statusCode).toBe(500);
    const log = written.join('');
    // The test means something only if there were log lines to look at.
    expect(log).toContain('unhandled error');
    expect(log).toContain('client error');
    for (const secret of [TEST_PII_KEY, TEST_TWILIO_AUTH_TOKEN]) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });
});
