import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { API_RESOURCES, allow, route, writeAssembly } from './fixture';

// Every call a function makes to a local AWS endpoint is decided against its role in the template, and
// a denied call fails as the service fails it. One function makes whatever SDK call the test asks for.

// biome-ignore lint/suspicious/noExplicitAny: test reads deep into JSON responses
type Loose = any;

const CALLER = `
  const clients = {
    dynamodb: () => { const m = require('@aws-sdk/client-dynamodb'); return [new m.DynamoDBClient({ maxAttempts: 1 }), m]; },
    sfn: () => { const m = require('@aws-sdk/client-sfn'); return [new m.SFNClient({ maxAttempts: 1 }), m]; },
    secrets: () => { const m = require('@aws-sdk/client-secrets-manager'); return [new m.SecretsManagerClient({ maxAttempts: 1 }), m]; },
    sms: () => { const m = require('@aws-sdk/client-pinpoint-sms-voice-v2'); return [new m.PinpointSMSVoiceV2Client({ maxAttempts: 1 }), m]; },
    s3: () => { const m = require('@aws-sdk/client-s3'); return [new m.S3Client({ maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED' }), m]; },
  };
  // SNS's query protocol by hand (no SNS client in this project), signed with the function's key.
  async function publish(input) {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    const res = await fetch(process.env.AWS_ENDPOINT_URL_SNS, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=' + process.env.AWS_ACCESS_KEY_ID + '/' + day + '/eu-west-1/sns/aws4_request, SignedHeaders=host, Signature=0' },
      body: new URLSearchParams({ Action: 'Publish', Version: '2010-03-31', ...input }),
    });
    const text = await res.text();
    if (res.ok) return { ok: true };
    return { ok: false, name: /<Code>([^<]+)/.exec(text)[1], message: /<Message>([^<]+)/.exec(text)[1], status: res.status };
  }
  exports.handler = async (event) => {
    const { service, command, input, presign } = JSON.parse(event.body);
    if (service === 'sns') return publish(input);
    const [client, m] = clients[service]();
    try {
      if (presign) {
        const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
        return { url: await getSignedUrl(client, new m[command](input), { expiresIn: 300 }) };
      }
      const out = await client.send(new m[command](input));
      return { ok: true, out: { ...out, $metadata: undefined } };
    } catch (e) {
      return { ok: false, name: e.name, message: e.message, status: e.$metadata && e.$metadata.httpStatusCode };
    }
  };`;

const root = join(process.cwd(), '.data', 'test-fixtures');
const table = { 'Fn::GetAtt': ['Table', 'Arn'] };
const objects = (prefix: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': ['Files', 'Arn'] }, `/${prefix}`]],
});

function assembly(): string {
  return writeAssembly(
    root,
    {
      Caller: {
        code: CALLER,
        description: 'coproduce caller',
        environment: { TABLE: { Ref: 'Table' } },
        statements: [
          allow('dynamodb:GetItem', table),
          {
            Effect: 'Allow',
            Action: 'dynamodb:PutItem',
            Resource: table,
            Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['mine'] } },
          },
          allow('s3:GetObject', objects('*')),
          allow('s3:PutObject', objects('in/*')),
          allow('secretsmanager:GetSecretValue', { Ref: 'Readable' }),
          {
            Effect: 'Deny',
            Action: 'dynamodb:PutItem',
            Resource: table,
            Condition: { StringEquals: { 'dynamodb:ReturnValues': 'ALL_OLD' } },
          },
        ],
      },
    },
    {
      ...API_RESOURCES,
      ...route('POST /call', 'Caller'),
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      Files: { Type: 'AWS::S3::Bucket', Properties: {} },
      FilesPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Files' },
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 's3:GetObject',
                Resource: objects('private/*'),
              },
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 's3:*',
                Resource: objects('*'),
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          },
        },
      },
      Readable: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: { Name: 'test/readable', SecretString: 'r' },
      },
      Hidden: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'test/hidden', SecretString: 'h' } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
          RoleArn: 'arn:aws:iam::000000000000:role/unused',
        },
      },
    },
  );
}

let cdkOut: string;
const dirs: string[] = [];
const logs: string[] = [];
let rt: Runtime;

async function start(iam: boolean): Promise<Runtime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-iam-'));
  dirs.push(dataDir);
  return startRuntime({ cdkOut, dataDir, port: 0, iam, log: (l) => logs.push(l), faults: {} });
}

const call = async (system: Runtime, request: Record<string, unknown>): Promise<Loose> =>
  (await fetch(`${system.url}/call`, { method: 'POST', body: JSON.stringify(request) })).json();
const TABLE_NAME = 'demo-stack-Table';
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:000000000000:table/${TABLE_NAME}`;
const SESSION =
  /^User: arn:aws:sts::000000000000:assumed-role\/demo-stack-CallerRole-[A-Za-z0-9]{12}\/demo-stack-Caller is not authorized to perform: /;

beforeAll(async () => {
  cdkOut = assembly();
  rt = await start(true);
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  for (const d of [...dirs, cdkOut]) rmSync(d, { recursive: true, force: true });
});

describe('IAM on the functions calls', () => {
  it('refuses a DynamoDB action the role lacks, with DynamoDB AccessDeniedException and AWS message', async () => {
    const ok = await call(rt, {
      service: 'dynamodb',
      command: 'GetItemCommand',
      input: { TableName: TABLE_NAME, Key: { pk: { S: 'a' } } },
    });
    expect(ok).toMatchObject({ ok: true });
    const denied = await call(rt, {
      service: 'dynamodb',
      command: 'DeleteItemCommand',
      input: { TableName: TABLE_NAME, Key: { pk: { S: 'a' } } },
    });
    expect(denied).toMatchObject({ ok: false, name: 'AccessDeniedException', status: 400 });
    expect(denied.message).toMatch(SESSION);
    expect(denied.message).toMatch(
      new RegExp(
        `dynamodb:DeleteItem on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:DeleteItem action$`,
      ),
    );
    const line = logs.find((l) => l.includes('may not dynamodb:DeleteItem'));
    expect(line).toContain('function caller (role demo-stack-CallerRole-');
    expect(line).toContain(
      `it would need {"Effect":"Allow","Action":"dynamodb:DeleteItem","Resource":"${TABLE_ARN}"}`,
    );
  });

  it('holds dynamodb:LeadingKeys, and an explicit Deny on dynamodb:ReturnValues', async () => {
    const put = (pk: string) =>
      call(rt, {
        service: 'dynamodb',
        command: 'PutItemCommand',
        input: { TableName: TABLE_NAME, Item: { pk: { S: pk } } },
      });
    expect(await put('mine')).toMatchObject({ ok: true });
    expect(await put('theirs')).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    const count = await call(rt, {
      service: 'dynamodb',
      command: 'PutItemCommand',
      input: { TableName: TABLE_NAME, Item: { pk: { S: 'mine' } }, ReturnValues: 'ALL_OLD' },
    });
    expect(count).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(count.message).toMatch(/with an explicit deny in an identity-based policy$/);
  });

  it('refuses Step Functions, Secrets Manager, SNS and SMS calls as each service does', async () => {
    const start = await call(rt, {
      service: 'sfn',
      command: 'StartExecutionCommand',
      input: { stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-Machine' },
    });
    expect(start).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(start.message).toMatch(
      /states:StartExecution on resource: arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-Machine because/,
    );
    const secret = (id: string) =>
      call(rt, { service: 'secrets', command: 'GetSecretValueCommand', input: { SecretId: id } });
    expect(await secret('test/readable')).toMatchObject({ ok: true, out: { SecretString: 'r' } });
    const hidden = await secret('test/hidden');
    expect(hidden).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(hidden.message).toMatch(
      /secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:000000000000:secret:test\/hidden-\w{6} because/,
    );
    const topic = rt.sns.topics[0]?.arn as string;
    const publish = await call(rt, { service: 'sns', input: { TopicArn: topic, Message: 'x' } });
    expect(publish).toMatchObject({ ok: false, name: 'AuthorizationError', status: 403 });
    expect(publish.message).toMatch(
      new RegExp(
        `SNS:Publish on resource: ${topic} because no identity-based policy allows the SNS:Publish action$`,
      ),
    );
    const sms = await call(rt, {
      service: 'sms',
      command: 'SendTextMessageCommand',
      input: { DestinationPhoneNumber: '+31612345678', MessageBody: 'x' },
    });
    expect(sms).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(sms.message).toMatch(
      /sms-voice:SendTextMessage on resource: arn:aws:sms-voice:eu-west-1:000000000000:phone-number\//,
    );
    expect(rt.outbox.list()).toHaveLength(0);
  });

  it('gives a presigned URL its signer permission, and applies the bucket policy', async () => {
    const bucket = rt.s3.buckets[0] as string;
    const signed = async (key: string) =>
      (
        await call(rt, {
          service: 's3',
          command: 'PutObjectCommand',
          input: { Bucket: bucket, Key: key },
          presign: true,
        })
      ).url as string;
    expect((await fetch(await signed('in/a.csv'), { method: 'PUT', body: 'a' })).status).toBe(200);
    const refused = await fetch(await signed('out/a.csv'), { method: 'PUT', body: 'a' });
    expect(refused.status).toBe(403);
    const xml = await refused.text();
    expect(xml).toContain('<Code>AccessDenied</Code>');
    expect(xml).toMatch(
      /s3:PutObject on resource: &#34;arn:aws:s3:::[^&]+\/out\/a.csv&#34; because no identity-based policy allows/,
    );
    const get = (key: string) =>
      call(rt, { service: 's3', command: 'GetObjectCommand', input: { Bucket: bucket, Key: key } });
    expect((await get('private/x')).message).toMatch(/with an explicit deny in a resource-based policy$/);
    // Without s3:ListBucket, a missing object is 403, not 404 (as S3 answers).
    expect(await get('in/missing.csv')).toMatchObject({ ok: false, name: 'AccessDenied', status: 403 });
  });
});

describe('LOCAL_IAM=off', () => {
  it('runs the same calls unchecked, and says so at start', async () => {
    const before = logs.length;
    const off = await start(false);
    try {
      expect(logs.slice(before).join('\n')).toMatch(
        /WARNING: LOCAL_IAM=off: the template's IAM policies are NOT enforced/,
      );
      const deleted = await call(off, {
        service: 'dynamodb',
        command: 'DeleteItemCommand',
        input: { TableName: TABLE_NAME, Key: { pk: { S: 'a' } } },
      });
      expect(deleted).toMatchObject({ ok: true });
    } finally {
      await off.stop();
    }
  });
});
