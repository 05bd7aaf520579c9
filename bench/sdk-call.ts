/**
 * `npm run bench:sdk`: CPU per DynamoDB call of the functions' own client (functions/shared/clients.ts,
 * one SigV4 signer per client, each kind of command's middleware resolved once) beside the SDK's client as
 * it comes (a signer built and the middleware resolved per request), in the
 * same processes. Each of ROUNDS fresh processes warms both clients (WARM calls each), then times CALLS
 * calls of each in alternating blocks, so that both run on the same warmth of the SDK's shared code and
 * a busy moment on the machine hits both alike; the server that answers `{}` is in another process.
 * Prints µs of CPU per call and the median of the processes' ratios.
 * Environment: ROUNDS (default 5), WARM (default 2000), CALLS (default 4000).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../functions/shared/clients';
import { positiveInt } from './settings';

const ROUNDS = positiveInt('ROUNDS', process.env.ROUNDS, 5);
const WARM = positiveInt('WARM', process.env.WARM, 2000);
const CALLS = positiveInt('CALLS', process.env.CALLS, 4000);
const BLOCK = 250;
const VARIANTS = { sdk: "the SDK's client", kept: 'clients.ts (one signer, middleware kept)' } as const;
type Variant = keyof typeof VARIANTS;
const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

// A STEP_SUBMITTED event as the functions write it: a conditional put of a small item.
const item = {
  pk: 'CASE#bench',
  sk: 'EVENT#2026-12-03T09:00:00.000Z#submitted-s1-1',
  type: 'STEP_SUBMITTED',
};

/**
 * In the child: both clients in one process, in alternating blocks of BLOCK calls after WARM calls of
 * each, so that both run on the same warmth of the SDK's shared code; µs of CPU per call of each, as JSON.
 */
async function child(): Promise<void> {
  const clients: Record<Variant, DynamoDBDocumentClient> = {
    sdk: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    kept: documentClient(),
  };
  const calls = async (variant: Variant, count: number) => {
    const command = () =>
      new PutCommand({ TableName: 'cases', Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
    for (let i = 0; i < count; i++) await clients[variant].send(command());
  };
  for (const variant of VARIANT_NAMES) await calls(variant, WARM);
  const used: Record<Variant, number> = { sdk: 0, kept: 0 };
  // Exactly CALLS each: the last block is shorter when CALLS is not a multiple of BLOCK.
  for (let done = 0, block = 0; done < CALLS; done += BLOCK, block++) {
    const order: Variant[] = block % 2 === 0 ? ['sdk', 'kept'] : ['kept', 'sdk'];
    for (const variant of order) {
      const start = process.cpuUsage();
      await calls(variant, Math.min(BLOCK, CALLS - done));
      const spent = process.cpuUsage(start);
      used[variant] += spent.user + spent.system;
    }
  }
  process.stdout.write(JSON.stringify({ sdk: used.sdk / CALLS, kept: used.kept / CALLS }));
}

async function main(): Promise<void> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    NODE_NO_WARNINGS: '1',
  };
  const runChild = async () => {
    // Asynchronous, so that this process's server answers while the child calls it.
    const run = spawn(process.execPath, ['--import', 'tsx', __filename, '--child'], { env });
    let out = '';
    let err = '';
    run.stdout.on('data', (chunk) => (out += chunk));
    run.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise<number | null>((exit) => run.on('close', exit));
    if (code !== 0) throw new Error(`run failed:\n${err}`);
    return JSON.parse(out) as Record<Variant, number>;
  };
  const samples: Record<Variant, number[]> = { sdk: [], kept: [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const perCall = await runChild();
    for (const variant of VARIANT_NAMES) samples[variant].push(perCall[variant]);
    ratios.push(perCall.kept / perCall.sdk);
  }
  server.close();
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  console.log(
    `\nbench:sdk  ${ROUNDS} processes, each ${WARM} warm-up + ${CALLS} timed PutItems per client, in blocks of ${BLOCK}`,
  );
  const width = Math.max(...Object.values(VARIANTS).map((label) => label.length)) + 1;
  for (const variant of VARIANT_NAMES)
    console.log(
      `${VARIANTS[variant].padEnd(width)} ${median(samples[variant]).toFixed(0)} µs CPU per call  (${samples[variant].map((v) => v.toFixed(0)).join(', ')})`,
    );
  console.log(
    `${"clients.ts / the SDK's".padEnd(width)} ${median(ratios).toFixed(3)}x  (median of the processes' ratios: ${ratios.map((r) => r.toFixed(3)).join(', ')})`,
  );
}

if (process.argv.includes('--child')) void child();
else void main();
