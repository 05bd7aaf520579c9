import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultKind, FaultRates } from '../../../local/runtime/fault-rates';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { writeFixture } from './fixture';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies read loosely in tests
type Loose = any;

describe('LOCAL_FAULTS', () => {
  it('reads kind=rate pairs and names a bad entry', () => {
    const rates = FaultRates.parse('lambda.throttle=0.05, dynamodb.error=0.01', '7');
    expect([...rates.rates]).toEqual([
      ['lambda.throttle', 0.05],
      ['dynamodb.error', 0.01],
    ]);
    expect(rates.startLines()[0]).toContain('LOCAL_FAULTS_SEED=7');
    expect(() => FaultRates.parse('lambda.slow=0.1')).toThrow(/'lambda.slow=0.1' is not <kind>=<rate>/);
    expect(() => FaultRates.parse('sms.fail=2')).toThrow(/rate of sms.fail must be from 0 to 1/);
    expect(FaultRates.parse('').active).toBe(false);
  });

  it('draws the same faults for the same seed, kind by kind, and others for another seed', () => {
    const spec = 'dynamodb.throttle=0.3,sfn.throttle=0.3';
    const draws = (seed: string, kind: FaultKind) => {
      const rates = FaultRates.parse(spec, seed);
      return Array.from({ length: 200 }, () => rates.roll(kind));
    };
    expect(draws('42', 'dynamodb.throttle')).toEqual(draws('42', 'dynamodb.throttle'));
    expect(draws('42', 'dynamodb.throttle')).not.toEqual(draws('43', 'dynamodb.throttle'));
    expect(draws('42', 'dynamodb.throttle')).not.toEqual(draws('42', 'sfn.throttle'));
    const hits = draws('42', 'dynamodb.throttle').filter(Boolean).length;
    expect(hits).toBeGreaterThan(35);
    expect(hits).toBeLessThan(85);
  });
});

// Each kind at rate 1, at its endpoint: the error the SDKs and the state machines meet is AWS's.
const root = join(process.cwd(), '.data', 'test-fixtures');
let cdkOut: string;
let dataDir: string;
let rt: Runtime;
const logs: string[] = [];
const kinds = Object.keys(FAULT_KINDS) as FaultKind[];

beforeAll(async () => {
  cdkOut = writeFixture(root, 3600);
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-faults-'));
  const spec = kinds.map((k) => `${k}=0`).join(',');
  rt = await startRuntime({
    cdkOut,
    dataDir,
    port: 0,
    log: (l) => logs.push(l),
    faults: { spec, seed: '1' },
  });
}, 60_000);

afterEach(() => {
  for (const kind of kinds) rt.rates.setRate(kind, 0);
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const region = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('injected faults', () => {
  it('throttles DynamoDB with its own errors, which the SDK retries as throttles', async () => {
    rt.rates.setRate('dynamodb.throttle', 1);
    const ddb = new DynamoDBClient({ endpoint: rt.dynamo.endpoint, region, credentials });
    const error = (await ddb
      .send(new GetItemCommand({ TableName: 'demo-stack-Table', Key: { pk: { S: 'x' } } }))
      .catch((e) => e)) as Error & { $metadata: { attempts: number; httpStatusCode: number } };
    expect(['ProvisionedThroughputExceededException', 'ThrottlingException']).toContain(error.name);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.attempts).toBeGreaterThan(1); // retried by the SDK's standard retry
    rt.rates.setRate('dynamodb.throttle', 0);
    rt.rates.setRate('dynamodb.error', 1);
    const internal = (await ddb
      .send(new GetItemCommand({ TableName: 'demo-stack-Table', Key: { pk: { S: 'x' } } }))
      .catch((e) => e)) as Error & { $metadata: { httpStatusCode: number } };
    expect(internal).toMatchObject({ name: 'InternalServerError', message: 'Internal server error' });
    expect(internal.$metadata.httpStatusCode).toBe(500);
    ddb.destroy();
  });

  it('throttles the Step Functions API (ThrottlingException, Rate exceeded) and fails it (InternalFailure)', async () => {
    const sfn = new SFNClient({ endpoint: rt.engine.endpoint, region, credentials, maxAttempts: 1 });
    const arn = 'arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-Machine';
    rt.rates.setRate('sfn.throttle', 1);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    rt.rates.setRate('sfn.throttle', 0);
    rt.rates.setRate('sfn.error', 1);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))).rejects.toMatchObject({
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    sfn.destroy();
  });

  it("refuses Lambda invocations: the gateway answers 500, the state machine's task fails with Lambda.TooManyRequestsException", async () => {
    rt.rates.setRate('lambda.throttle', 1);
    const res = await fetch(`${rt.url}/plain`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    expect(logs.some((l) => l.includes('TooManyRequestsException: Rate Exceeded.'))).toBe(true);
    // The state machine starts (the Start function runs before the throttle is on), its Lambda task is refused.
    rt.rates.setRate('lambda.throttle', 0);
    const started = rt.engine.engine.startExecution({
      stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-Machine',
      name: 'throttled',
      input: '{"id":"throttled"}',
    });
    rt.rates.setRate('lambda.throttle', 1);
    const { executionArn } = await started;
    const sfn = new SFNClient({ endpoint: rt.engine.endpoint, region, credentials });
    let described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    for (let i = 0; i < 100 && described.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    expect(described).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException' });
    expect(described.cause).toMatch(
      /^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: [0-9a-f-]+; Proxy: null\)$/,
    );
    sfn.destroy();
  });

  it('fails SMS sends through End User Messaging as it fails them', async () => {
    const send = (kind: FaultKind) => {
      rt.rates.setRate(kind, 1);
      return fetch(rt.servicesUrl, {
        method: 'POST',
        headers: {
          'x-amz-target': 'PinpointSMSVoiceV2.SendTextMessage',
          'content-type': 'application/x-amz-json-1.0',
        },
        body: JSON.stringify({ DestinationPhoneNumber: '+31612345678', MessageBody: 'x' }),
      });
    };
    const failed = await send('sms.fail');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ __type: 'InternalServerException' });
    rt.rates.setRate('sms.fail', 0);
    const throttled = await send('sms.throttle');
    expect(throttled.status).toBe(400);
    expect(await throttled.json()).toMatchObject({ __type: 'ThrottlingException' });
    expect(rt.outbox.list()).toHaveLength(0);
  });

  it('GET /local/faults says which rates are on, how many of each were injected, and the seed', async () => {
    const before = rt.rates.injected.get('lambda.throttle') ?? 0;
    rt.rates.setRate('lambda.throttle', 1);
    expect((await fetch(`${rt.url}/plain`)).status).toBe(500);
    const body = (await (await fetch(`${rt.url}/local/faults`)).json()) as Loose;
    expect(body.rates['lambda.throttle']).toEqual({ rate: 1, injected: before + 1 });
    expect(body.rates['sms.fail']).toEqual({ rate: 0, injected: expect.any(Number) });
    expect(body.seed).toBe('1');
    rt.rates.setRate('lambda.throttle', 0);
    expect(((await (await fetch(`${rt.url}/local/faults`)).json()) as Loose).seed).toBeUndefined();
  });
});
