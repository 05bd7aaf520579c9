import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from '../../../functions/domain/csv';
import { type LocalS3, startS3 } from '../../../local/runtime/s3';
import { type LocalTable, startDynalite } from '../../support/dynalite';
import { errorCode, invoke, lambdaContext, staffClaims } from '../../support/http-event';
import { mockSecrets } from '../../support/secrets';

// The round's functions in the order the round machine calls them, on a real DynamoDB API (dynalite,
// with the byRound index) and a real S3 API (s3rver): the upload goes through the presigned URL, the
// Map's batches are cut from the real valid.csv. Only Step Functions is mocked.

const BUCKET = 'coproduce-test-rounds';
process.env.ROUND_BUCKET = BUCKET;
process.env.ROUND_STATE_MACHINE_ARN =
  'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-test-round';
// s3rver accepts only these; dynalite accepts anything.
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';

const sfn = mockClient(SFNClient);
mockSecrets();
let table: LocalTable;
let s3: LocalS3;
let dataDir: string;
type Handlers = {
  createRound: typeof import('../../../functions/handlers/create-round').handler;
  startRound: typeof import('../../../functions/handlers/start-round').handler;
  getRound: typeof import('../../../functions/handlers/get-round').handler;
  validate: typeof import('../../../functions/handlers/round-validate').handler;
  startCases: typeof import('../../../functions/handlers/round-start-cases').handler;
  finish: typeof import('../../../functions/handlers/round-finish').handler;
};
let h: Handlers;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'round-tasks-'));
  [table, s3] = await Promise.all([startDynalite(), startS3(join(dataDir, 's3'), [BUCKET])]);
  // The SDK clients are built on first use, after these point at the local servers.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  h = {
    createRound: (await import('../../../functions/handlers/create-round')).handler,
    startRound: (await import('../../../functions/handlers/start-round')).handler,
    getRound: (await import('../../../functions/handlers/get-round')).handler,
    validate: (await import('../../../functions/handlers/round-validate')).handler,
    startCases: (await import('../../../functions/handlers/round-start-cases')).handler,
    finish: (await import('../../../functions/handlers/round-finish')).handler,
  };
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
}, 30_000);
afterAll(async () => {
  sfn.reset();
  await Promise.all([table?.stop(), s3?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const HEADER = ['reference', 'name', 'phone', 'email', 'locale', 'address', 'collectionDate'];
const row = (i: number) => [
  `W-${i}`,
  i % 3 === 0 ? `Huishouden ${i}` : '',
  i % 2 === 0 ? `06${String(10_000_000 + i)}` : '',
  i % 2 === 1 ? `h${i}@example.nl` : '',
  i % 5 === 0 ? 'en' : '',
  `Dorpsstraat ${i}, Utrecht`,
  '2026-03-16',
];

/** What the Distributed Map's CSV reader hands a batch: objects keyed by the header of valid.csv. */
async function batches(size: number, roundId: string) {
  const records = parseCsv(await s3.getObject(BUCKET, `rounds/${roundId}/valid.csv`));
  let header: string[] | undefined;
  const out: Record<string, string>[][] = [[]];
  for await (const { fields } of records) {
    if (!header) {
      header = fields;
      continue;
    }
    if ((out.at(-1)?.length ?? 0) >= size) out.push([]);
    out.at(-1)?.push(Object.fromEntries(header.map((name, i) => [name, fields[i] ?? ''])));
  }
  return out;
}

describe('a round through its functions', () => {
  it('creates, uploads, validates, starts every good row once, and finishes with exact counts', async () => {
    const claims = staffClaims();
    const created = await invoke(h.createRound, {
      method: 'POST',
      path: '/rounds',
      claims,
      body: { serviceId: 'waste-collection', name: 'Week 12', onInvalid: 'skip' },
    });
    expect(created.statusCode).toBe(201);
    const { roundId, upload } = created.json as { roundId: string; upload: { url: string } };
    const path = { pathParameters: { roundId }, claims };

    const rows = Array.from({ length: 60 }, (_, i) => row(i + 1));
    rows[9] = ['W-10', '', '12345', '', '', 'Kerkweg 1', '2026-03-16']; // line 11: bad phone
    rows[19] = ['W-3', '', '', 'x@example.nl', '', 'Kerkweg 2', '2026-03-16']; // line 21: duplicate of line 4
    const csv = [HEADER, ...rows].map(csvLine).join('');
    const put = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(put.status).toBe(200);

    const started = await invoke(h.startRound, { method: 'POST', path: `/rounds/${roundId}/start`, ...path });
    expect([started.statusCode, started.json]).toEqual([202, { roundId, status: 'VALIDATING', attempt: 1 }]);

    expect(await h.validate({ roundId }, lambdaContext)).toEqual({ proceed: true, validated: 58 });
    const work = await batches(25, roundId);
    expect(work.map((b) => b.length)).toEqual([25, 25, 8]);
    const input = { roundId, org: 'gm0363', serviceId: 'waste-collection' };
    for (const Items of work) await h.startCases({ BatchInput: input, Items }, lambdaContext);
    // A batch delivered twice (a retry after a timeout) finds its cases.
    expect(await h.startCases({ BatchInput: input, Items: work[0] ?? [] }, lambdaContext)).toEqual({
      started: 0,
      existing: 25,
      failed: 0,
    });
    expect(await h.finish({ roundId }, lambdaContext)).toEqual({ status: 'STARTED' });

    const view = await invoke(h.getRound, { path: `/rounds/${roundId}`, ...path });
    expect(view.json).toMatchObject({
      status: 'STARTED',
      total: 60,
      validated: 58,
      invalid: 2,
      started: 58,
      failed: 0,
      active: 58,
      errors: [
        { line: 11, column: 'phone', reason: expect.stringContaining('not a Dutch mobile number') },
        { line: 21, column: 'reference', reason: 'duplicate of line 4' },
      ],
      failures: [],
    });
    const caseStarts = sfn
      .commandCalls(StartExecutionCommand)
      .filter((c) => !c.args[0].input.name?.startsWith(roundId));
    expect(new Set(caseStarts.map((c) => c.args[0].input.name)).size).toBe(58);
    expect(JSON.parse(caseStarts[0]?.args[0].input.input as string)).toMatchObject({ roundId });

    // Both files are gone; a new start needs a new upload.
    const again = await invoke(h.startRound, { method: 'POST', path: `/rounds/${roundId}/start`, ...path });
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'UPLOAD_MISSING']);
  }, 60_000);

  it('rejects a file with a bad header: nothing starts, the reason is on line 1', async () => {
    const claims = staffClaims();
    const created = await invoke(h.createRound, {
      method: 'POST',
      path: '/rounds',
      claims,
      body: { serviceId: 'waste-collection', name: 'Week 13' },
    });
    const { roundId, upload } = created.json as { roundId: string; upload: { url: string } };
    const csv = 'reference;phone;address;collectionDate\r\nW-1;0612345678;Laan 1;2026-03-16\r\n';
    await fetch(upload.url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: csv });
    await invoke(h.startRound, {
      method: 'POST',
      path: `/rounds/${roundId}/start`,
      pathParameters: { roundId },
      claims,
    });
    expect(await h.validate({ roundId }, lambdaContext)).toEqual({ proceed: false, validated: 0 });
    const view = await invoke(h.getRound, {
      path: `/rounds/${roundId}`,
      pathParameters: { roundId },
      claims,
    });
    expect(view.json).toMatchObject({
      status: 'REJECTED',
      errors: [
        {
          line: 1,
          column: '(row)',
          reason: 'the file is separated by semicolons; save it as CSV UTF-8 (comma delimited)',
        },
      ],
    });
    // The refused upload (every row in clear) is gone: a new start needs a new upload.
    const again = await invoke(h.startRound, {
      method: 'POST',
      path: `/rounds/${roundId}/start`,
      pathParameters: { roundId },
      claims,
    });
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'UPLOAD_MISSING']);
  }, 30_000);

  it('lets one of two concurrent starts through, on the real conditional write', async () => {
    const claims = staffClaims();
    const created = await invoke(h.createRound, {
      method: 'POST',
      path: '/rounds',
      claims,
      body: { serviceId: 'waste-collection', name: 'Week 14' },
    });
    const { roundId, upload } = created.json as { roundId: string; upload: { url: string } };
    await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: 'reference\r\n',
    });
    const before = sfn.commandCalls(StartExecutionCommand).length;
    const start = () =>
      invoke(h.startRound, {
        method: 'POST',
        path: `/rounds/${roundId}/start`,
        pathParameters: { roundId },
        claims,
      });
    const results = await Promise.all([start(), start(), start()]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([202, 409, 409]);
    expect(results.filter((r) => r.statusCode === 409).map(errorCode)).toEqual([
      'ROUND_RUNNING',
      'ROUND_RUNNING',
    ]);
    const names = sfn
      .commandCalls(StartExecutionCommand)
      .slice(before)
      .map((c) => c.args[0].input.name);
    expect(names).toEqual([`${roundId}-1`]);
  }, 30_000);

  it('refuses a malformed task payload with a named error', async () => {
    await expect(h.validate({ roundId: 'nope' }, lambdaContext)).rejects.toMatchObject({
      name: 'Task.BadPayload',
      message: 'Invalid round-validate payload: roundId',
    });
  });
});
