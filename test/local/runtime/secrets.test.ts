import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { DEV_TWILIO_AUTH_TOKEN, generatePassword } from '../../../local/runtime/secrets';
import { API_RESOURCES, allow, route, writeAssembly } from './fixture';

const root = join(process.cwd(), '.data', 'test-fixtures');
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'coproduce-secrets-'));
  dirs.push(d);
  return d;
};

// Reads its secrets at runtime, as the handlers do (functions/shared/secrets.ts): by ARN, with the SDK.
const READER = `
  const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
  const sm = new SecretsManagerClient({});
  const read = async (arn) => (await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  exports.handler = async () => {
    const pii = await read(process.env.PII_KEY_SECRET_ARN);
    const twilio = await read(process.env.TWILIO_AUTH_TOKEN_SECRET_ARN);
    return { pii, twilio, env: process.env };
  };`;

function assembly(): string {
  return writeAssembly(
    root,
    {
      Reader: {
        code: READER,
        description: 'coproduce reader',
        environment: {
          PII_KEY_SECRET_ARN: { Ref: 'PiiKey' },
          TWILIO_AUTH_TOKEN_SECRET_ARN: { Ref: 'TwilioToken' },
        },
        statements: [allow('secretsmanager:GetSecretValue', [{ Ref: 'PiiKey' }, { Ref: 'TwilioToken' }])],
      },
    },
    {
      ...API_RESOURCES,
      ...route('GET /read', 'Reader'),
      PiiKey: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: {
          Name: 'coproduce/test/pii-key',
          GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 },
        },
      },
      TwilioToken: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: {
          Name: 'coproduce/test/twilio-auth-token',
          GenerateSecretString: { PasswordLength: 32 },
        },
      },
      Json: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: {
          Name: 'coproduce/test/json',
          GenerateSecretString: { SecretStringTemplate: '{"user":"app"}', GenerateStringKey: 'password' },
        },
      },
    },
  );
}

let cdkOut: string;
let dataDir: string;
let rt: Runtime;
const start = (dir = dataDir) => startRuntime({ cdkOut, dataDir: dir, port: 0, sweepIntervalMs: 3_600_000 });
const client = () =>
  new SecretsManagerClient({
    endpoint: rt.servicesUrl,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });

beforeAll(async () => {
  cdkOut = assembly();
  dataDir = temp();
  rt = await start();
});

afterAll(async () => {
  await rt?.stop();
  for (const d of [...dirs, cdkOut]) rmSync(d, { recursive: true, force: true });
});

const read = async () =>
  (await (await fetch(`${rt.url}/read`)).json()) as {
    pii: string;
    twilio: string;
    env: Record<string, string>;
  };

describe('GetSecretValue', () => {
  it('gives the functions only ARNs, and the values through Secrets Manager at runtime', async () => {
    const { pii, twilio, env } = await read();
    expect(env.PII_KEY_SECRET_ARN).toMatch(
      /^arn:aws:secretsmanager:eu-west-1:000000000000:secret:coproduce\/test\/pii-key-[A-Za-z0-9]{6}$/,
    );
    expect(env.AWS_ENDPOINT_URL_SECRETS_MANAGER).toBe(rt.servicesUrl);
    expect(Object.values(env)).not.toContain(pii);
    expect(pii).toMatch(/^[A-Za-z0-9]{64}$/);
    // The Twilio token is TWILIO_AUTH_TOKEN (set by the test setup), not a generated value.
    expect(twilio).toBe(process.env.TWILIO_AUTH_TOKEN);
  });

  it('finds a secret by name, by ARN and by ARN without the suffix, as AWS does', async () => {
    const sm = client();
    const byName = await sm.send(new GetSecretValueCommand({ SecretId: 'coproduce/test/pii-key' }));
    const arn = byName.ARN as string;
    const byArn = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
    const partial = await sm.send(new GetSecretValueCommand({ SecretId: arn.slice(0, -7) }));
    expect(byArn.SecretString).toBe(byName.SecretString);
    expect(partial.SecretString).toBe(byName.SecretString);
    expect(byName).toMatchObject({ Name: 'coproduce/test/pii-key', VersionStages: ['AWSCURRENT'] });
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    expect(byName.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const json = await sm.send(new GetSecretValueCommand({ SecretId: 'coproduce/test/json' }));
    expect(JSON.parse(json.SecretString as string)).toEqual({ user: 'app', password: expect.any(String) });
    sm.destroy();
  });

  it('answers ResourceNotFoundException for an unknown secret or version stage', async () => {
    const sm = client();
    await expect(
      sm.send(new GetSecretValueCommand({ SecretId: 'coproduce/test/nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      sm.send(new GetSecretValueCommand({ SecretId: 'coproduce/test/pii-key', VersionStage: 'AWSPREVIOUS' })),
    ).rejects.toThrow(/staging label: AWSPREVIOUS/);
    sm.destroy();
  });

  it('keeps generated values in secrets.json (mode 600) across a restart', async () => {
    const before = (await read()).pii;
    const file = join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(process.env.TWILIO_AUTH_TOKEN as string);
    await rt.stop();
    rt = await start();
    expect((await read()).pii).toBe(before);
  });

  it('takes the PII key of a data dir from before secrets had names, so its cases stay readable', async () => {
    const old = temp();
    writeFileSync(join(old, 'secrets.json'), JSON.stringify({ PII_KEY: 'a'.repeat(64) }), { mode: 0o644 });
    const other = await start(old);
    // Asked directly: the functions' Powertools cache is per process, shared by both runtimes here.
    const sm = new SecretsManagerClient({
      endpoint: other.servicesUrl,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    try {
      const res = await sm.send(new GetSecretValueCommand({ SecretId: 'coproduce/test/pii-key' }));
      expect(res.SecretString).toBe('a'.repeat(64));
      expect(statSync(join(old, 'secrets.json')).mode & 0o777).toBe(0o600);
    } finally {
      sm.destroy();
      await other.stop();
    }
  });
});

describe('generated passwords', () => {
  it('follow GenerateSecretString: length, excluded characters, each included type', () => {
    const p = generatePassword({ PasswordLength: 40, ExcludePunctuation: true, ExcludeCharacters: 'aA0' });
    expect(p).toHaveLength(40);
    expect(p).toMatch(/^[b-zB-Z1-9]+$/);
    for (let i = 0; i < 20; i++) {
      const q = generatePassword({ PasswordLength: 4 });
      expect(q).toMatch(/[a-z]/);
      expect(q).toMatch(/[A-Z]/);
      expect(q).toMatch(/[0-9]/);
      expect(q).toMatch(/[^A-Za-z0-9]/);
    }
    expect(generatePassword()).toHaveLength(32);
  });

  it('has a documented default for the Twilio token', () => {
    expect(DEV_TWILIO_AUTH_TOKEN).toBe('dev-twilio-auth-token');
  });
});
