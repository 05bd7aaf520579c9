/**
 * `npm run bench:sdk`: CPU per DynamoDB call of the functions' own client (functions/shared/clients.ts,
 * one SigV4 signer per client) beside the SDK's client as it comes (a signer built per request), side
 * by side in one run. Each measurement is a fresh process (a cold isolate, as a Lambda environment
 * starts), alternating the two, against one local HTTP server that answers `{}`: what is timed is the
 * client's own work, the server's is in another process. WARM calls first (the SDK as a busy function
 * runs it), then CALLS timed. Environment: ROUNDS (default 5), WARM (default 2000), CALLS (default 3000).
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
const CALLS = positiveInt('CALLS', process.env.CALLS, 3000);
const VARIANTS = { sdk: "the SDK's client", kept: 'clients.ts (one signer)' } as const;
type Variant = keyof typeof VARIANTS;

/** In the child: the calls, and the CPU they took, µs per call, on stdout. */
async function child(variant: Variant): Promise<void> {
  const db =
    variant === 'kept'
      ? documentClient()
      : DynamoDBDocumentClient.from(new DynamoDBClient({}), {
          marshallOptions: { removeUndefinedValues: true },
        });
  // A STEP_SUBMITTED event as the functions write it: a conditional put of a small item.
  const item = {
    pk: 'CASE#bench',
    sk: 'EVENT#2026-12-03T09:00:00.000Z#submitted-s1-1',
    type: 'STEP_SUBMITTED',
  };
  const put = () =>
    db.send(
      new PutCommand({ TableName: 'cases', Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  for (let i = 0; i < WARM; i++) await put();
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await put();
  const used = process.cpuUsage(start);
  process.stdout.write(String((used.user + used.system) / CALLS));
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
  const runChild = async (variant: Variant) => {
    // Asynchronous, so that this process's server answers while the child calls it.
    const run = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', variant], { env });
    let out = '';
    let err = '';
    run.stdout.on('data', (chunk) => (out += chunk));
    run.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise<number | null>((exit) => run.on('close', exit));
    if (code !== 0) throw new Error(`${variant} run failed:\n${err}`);
    return Number(out);
  };
  const samples: Record<Variant, number[]> = { sdk: [], kept: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which goes first, so that a busy moment on the machine hits both alike.
    const order: Variant[] = round % 2 === 0 ? ['sdk', 'kept'] : ['kept', 'sdk'];
    for (const variant of order) samples[variant].push(await runChild(variant));
  }
  server.close();
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  console.log(`\nbench:sdk  ${ROUNDS} rounds, ${WARM} warm-up + ${CALLS} timed PutItems per process`);
  for (const variant of Object.keys(VARIANTS) as Variant[])
    console.log(
      `${VARIANTS[variant].padEnd(26)} ${median(samples[variant]).toFixed(0)} µs CPU per call  (${samples[variant].map((v) => v.toFixed(0)).join(', ')})`,
    );
  console.log(`clients.ts / the SDK's     ${(median(samples.kept) / median(samples.sdk)).toFixed(3)}x`);
}

const at = process.argv.indexOf('--child');
if (at >= 0) void child(process.argv[at + 1] as Variant);
else void main();
