import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_YOUNG_GENERATION_MB, lambdaHeapLimits } from '../../../local/runtime/lambda-environment';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { API_RESOURCES, route, writeAssembly } from './fixture';

// AWS's limits, each crossed: Lambda's timeout and memory (from the template; the heap's old space
// Lambda's), its 6 MB synchronous request and response, API Gateway HTTP API's 30 s integration
// timeout and 10 MB payload, DynamoDB's 400 KB item. (SNS's 256 KB: sns.test.ts.)

const SLEEPY = `exports.handler = async (event) => {
  const ms = Number(event.ms ?? JSON.parse(event.body ?? '{}').ms ?? 0);
  await new Promise((r) => setTimeout(r, ms));
  return { statusCode: 200, body: JSON.stringify({ slept: ms }) };
};`;
// Blocks its thread: only stopping the environment can end it.
const BUSY = `exports.handler = async ({ ms }) => { const end = Date.now() + ms; while (Date.now() < end) {} return 'done'; };`;
const HOG = `const kept = [];
exports.handler = async ({ mb }) => { for (let i = 0; i < mb; i++) kept.push(new Array(131072).fill(i)); return kept.length; };`;
const BIG = `exports.handler = async ({ bytes }) => 'x'.repeat(bytes);`;
const HEAP = `exports.handler = async () => require('node:v8').getHeapStatistics().heap_size_limit;`;

const root = join(process.cwd(), '.data', 'test-fixtures');
let cdkOut: string;
let dataDir: string;
let rt: Runtime;
const logs: string[] = [];

beforeAll(async () => {
  cdkOut = writeAssembly(
    root,
    {
      Sleepy: { code: SLEEPY, timeout: 40 },
      Busy: { code: BUSY, timeout: 1 },
      Hog: { code: HOG, memory: 128 },
      Big: { code: BIG },
      Heap: { code: HEAP, memory: 2048 },
    },
    {
      ...API_RESOURCES,
      ...route('POST /sleep', 'Sleepy'),
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
    },
  );
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-limits-'));
  rt = await startRuntime({ cdkOut, dataDir, port: 0, log: (l) => logs.push(l), faults: {} });
}, 60_000);

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const fn = (name: string) => `demo-stack-${name}`;

describe('Lambda', () => {
  it('stops an invocation at its timeout, even one that never yields, and starts afresh after', async () => {
    const started = Date.now();
    const error = await rt.lambda.invoke(fn('Busy'), { ms: 5000 }).catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ name: 'Sandbox.Timedout' });
    expect((error as Error).message).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
    );
    expect(logs.at(-1)).toMatch(/^REPORT Busy RequestId: .*Status: error$/);
    // The environment was stopped: the next invocation is a cold start (Init Duration) and succeeds.
    await expect(rt.lambda.invoke(fn('Busy'), { ms: 10 })).resolves.toBe('done');
    expect(logs.at(-1)).toMatch(/Init Duration: [\d.]+ ms$/);
  });

  it('stops a function that outgrows its memory size, as Runtime.OutOfMemory', async () => {
    const error = await rt.lambda.invoke(fn('Hog'), { mb: 400 }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'Runtime.OutOfMemory' });
    expect((error as Error).message).toMatch(/Error: Runtime exited with error: signal: killed$/);
    await expect(rt.lambda.invoke(fn('Hog'), { mb: 1 })).resolves.toBe(1);
  });

  it("gives a function the old space Lambda's Node.js runtime gives it, and a young generation of at most 24 MB", async () => {
    const limitMb = ((await rt.lambda.invoke(fn('Heap'), {})) as number) / 1048576;
    // 2048 MB: old space 1844 MB (the memory less a tenth, as --max-old-space-size on Lambda), young
    // generation 3 semi-spaces of 8 MB (Lambda's 3 of 102 MB, capped). The whole 2048 MB for old
    // objects, or Lambda's young generation, reads otherwise.
    expect(limitMb).toBe(1844 + LOCAL_YOUNG_GENERATION_MB);
    // Below 180 MB Lambda's own young generation is no larger: 128 MB gives 3 semi-spaces of 6 MB.
    expect(lambdaHeapLimits(128)).toEqual({ maxYoungGenerationSizeMb: 18, maxOldGenerationSizeMb: 116 });
    expect(lambdaHeapLimits(512)).toEqual({ maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 461 });
  });

  it('refuses a synchronous request over 6 MB, and fails a response over 6 MB', async () => {
    await expect(rt.lambda.invoke(fn('Big'), { bytes: 1, pad: 'x'.repeat(6_291_456) })).rejects.toMatchObject(
      {
        name: 'RequestEntityTooLargeException',
        message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      },
    );
    await expect(rt.lambda.invoke(fn('Big'), { bytes: 6_000_000 })).resolves.toHaveLength(6_000_000);
    await expect(rt.lambda.invoke(fn('Big'), { bytes: 6_291_556 })).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
      message: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });
});

describe('API Gateway (HTTP API)', () => {
  const post = (body: string) => fetch(`${rt.url}/sleep`, { method: 'POST', body });

  it('refuses a payload over 10 MB with 413, and answers 500 when Lambda refuses one over 6 MB', async () => {
    const tooBig = await post(JSON.stringify({ ms: 0, pad: 'x'.repeat(10 * 2 ** 20) }));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toEqual({ message: 'Request Entity Too Large' });
    const overLambda = await post(JSON.stringify({ ms: 0, pad: 'x'.repeat(7 * 2 ** 20) }));
    expect(overLambda.status).toBe(500);
    expect(await overLambda.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 503 when the integration has not answered within 30 seconds', async () => {
    const started = Date.now();
    const res = await post(JSON.stringify({ ms: 31_000 }));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
  }, 60_000);
});

describe('DynamoDB', () => {
  it('refuses an item over 400 KB, put or grown by an update (dynalite enforces it as DynamoDB does)', async () => {
    const TableName = 'demo-stack-Table';
    const put = (pk: string, bytes: number) =>
      rt.dynamo.client.send(
        new PutItemCommand({ TableName, Item: { pk: { S: pk }, v: { S: 'x'.repeat(bytes) } } }),
      );
    await expect(put('fits', 400_000)).resolves.toBeDefined();
    await expect(put('over', 410_000)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size has exceeded the maximum allowed size',
    });
    const grow = rt.dynamo.client.send(
      new UpdateItemCommand({
        TableName,
        Key: { pk: { S: 'fits' } },
        UpdateExpression: 'SET w = :w',
        ExpressionAttributeValues: { ':w': { S: 'y'.repeat(20_000) } },
      }),
    );
    await expect(grow).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size to update has exceeded the maximum allowed size',
    });
  });
});
