import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys, TABLE } from '../../../functions/adapters/table-keys';
import { DynamoRoundRepository } from '../../../functions/rounds/dynamo-rounds';
import type { RoundRecord, RowError } from '../../../functions/rounds/model';
import { NotFoundError, ValidationError } from '../../../functions/shared/errors';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord } from '../adapters/fixtures';

// The round repository against a real DynamoDB API (dynalite) with the table as CDK creates it,
// including the byRound index. A page limit of 7 items makes every query loop run over many pages.

let repo: DynamoRoundRepository;
let cases: DynamoCaseRepository;
const NOW = '2025-04-01T12:00:00.000Z';
const clock = { now: () => new Date(NOW) };

const local = useLocalTable((db, tableName) => {
  repo = new DynamoRoundRepository(db, tableName, clock, 7);
  cases = new DynamoCaseRepository(db, tableName, clock);
});

function round(overrides: Partial<RoundRecord> = {}): RoundRecord {
  return {
    roundId: randomUUID().replaceAll('-', ''),
    org: 'gemeente-utrecht',
    serviceId: 'waste-collection',
    name: 'Noord, april',
    onInvalid: 'reject',
    status: 'AWAITING_UPLOAD',
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    createdBy: 'staff-1',
    attempt: 0,
    ...{ total: 0, validated: 0, invalid: 0, started: 0, failed: 0, completed: 0, expired: 0, cancelled: 0 },
    ttl: 1_772_000_000,
    ...overrides,
  };
}

async function created(overrides: Partial<RoundRecord> = {}): Promise<RoundRecord> {
  const record = round(overrides);
  expect(await repo.createRound(record)).toBe('created');
  return record;
}

const raw = async (key: Record<string, string>) =>
  (await local.db.send(new GetCommand({ TableName: local.table.tableName, Key: key }))).Item;

describe('createRound / getRound', () => {
  it('stores the round, listed per organisation and service, and gives it back unchanged', async () => {
    const record = await created();
    expect(await repo.getRound(record.roundId)).toEqual(record);
    expect(await raw(keys.round(record.roundId))).toMatchObject({
      gsi2pk: 'ROUNDS#gemeente-utrecht#waste-collection',
      gsi2sk: `${record.createdAt}#${record.roundId}`,
    });
  });

  it('answers exists for a taken roundId and keeps the first round', async () => {
    const record = await created();
    expect(await repo.createRound({ ...record, name: 'other', onInvalid: 'skip' })).toBe('exists');
    expect(await repo.getRound(record.roundId)).toEqual(record);
  });

  it('finds nothing for an unknown round', async () => {
    expect(await repo.getRound('0'.repeat(32))).toBeUndefined();
  });
});

describe('listRounds', () => {
  it('lists the rounds of one organisation and service, newest first, page by page', async () => {
    const org = `org-${randomUUID()}`;
    const made: RoundRecord[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await created({ org, createdAt: `2025-03-0${i + 1}T09:00:00.000Z` }));
    await created({ org, serviceId: 'care-plan' });
    await created({ org: `${org}-other` });

    const first = await repo.listRounds({ org, serviceId: 'waste-collection', limit: 3 });
    expect(first.items.map((r) => r.roundId)).toEqual(
      made
        .slice(2)
        .reverse()
        .map((r) => r.roundId),
    );
    expect(first.items[0]).toEqual(made[4]);
    const second = await repo.listRounds({
      org,
      serviceId: 'waste-collection',
      limit: 3,
      ...(first.next && { after: first.next }),
    });
    expect(second.items.map((r) => r.roundId)).toEqual([made[1]?.roundId, made[0]?.roundId]);
    expect(second.next).toBeUndefined();
  });

  it("refuses a cursor of another organisation's list", async () => {
    const org = `org-${randomUUID()}`;
    await created({ org });
    await created({ org });
    const page = await repo.listRounds({ org, serviceId: 'waste-collection', limit: 1 });
    expect(page.next).toBeDefined();
    await expect(
      repo.listRounds({
        org: 'gemeente-amsterdam',
        serviceId: 'waste-collection',
        limit: 1,
        ...(page.next && { after: page.next }),
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('beginAttempt', () => {
  it('starts the next attempt: VALIDATING, attempt + 1, attempt counters reset, error removed', async () => {
    const record = await created({
      status: 'FAILED',
      attempt: 2,
      error: 'The map run failed.',
      ...{
        total: 9,
        validated: 8,
        invalid: 1,
        started: 5,
        failed: 1,
        completed: 3,
        expired: 1,
        cancelled: 1,
      },
    });
    expect(await repo.beginAttempt(record.roundId, 2, ['FAILED', 'REJECTED'], NOW)).toBe(true);
    expect(await repo.getRound(record.roundId)).toEqual({
      ...record,
      error: undefined,
      status: 'VALIDATING',
      attempt: 3,
      updatedAt: NOW,
      ...{ total: 0, validated: 0, invalid: 0, started: 0, failed: 0 },
      // Outcomes of cases that live on across attempts.
      ...{ completed: 3, expired: 1, cancelled: 1 },
    });
  });

  it('refuses a status not in `from`, a stale attempt and an unknown round, changing nothing', async () => {
    const record = await created({ status: 'STARTING', attempt: 1 });
    expect(await repo.beginAttempt(record.roundId, 1, ['STARTED', 'FAILED'], NOW)).toBe(false);
    expect(await repo.beginAttempt(record.roundId, 0, ['STARTING'], NOW)).toBe(false);
    expect(await repo.beginAttempt(record.roundId, 1, [], NOW)).toBe(false);
    expect(await repo.getRound(record.roundId)).toEqual(record);
    expect(await repo.beginAttempt('f'.repeat(32), 0, ['AWAITING_UPLOAD'], NOW)).toBe(false);
    expect(await raw(keys.round('f'.repeat(32)))).toBeUndefined();
  });

  it('lets exactly one of 10 concurrent starts win', async () => {
    const record = await created();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => repo.beginAttempt(record.roundId, 0, ['AWAITING_UPLOAD'], NOW)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await repo.getRound(record.roundId))?.attempt).toBe(1);
  });
});

describe('updateRound / addToCounters', () => {
  it('sets the given fields and updatedAt, removes a field given as undefined, keeps the keys', async () => {
    const record = await created({ error: 'old' });
    await repo.updateRound(record.roundId, {
      status: 'STARTING',
      total: 10,
      validated: 9,
      error: undefined,
      org: 'someone-else',
    });
    expect(await repo.getRound(record.roundId)).toEqual({
      ...record,
      status: 'STARTING',
      total: 10,
      validated: 9,
      error: undefined,
      updatedAt: NOW,
    });
  });

  it('adds to the counters atomically, also under concurrency', async () => {
    const record = await created({ completed: 2 });
    await Promise.all(Array.from({ length: 25 }, () => repo.addToCounters(record.roundId, { started: 1 })));
    await repo.addToCounters(record.roundId, { failed: 2, completed: 1, expired: 0 });
    await repo.addToCounters(record.roundId, {});
    expect(await repo.getRound(record.roundId)).toMatchObject({
      started: 25,
      failed: 2,
      completed: 3,
      expired: 0,
    });
  });

  it('refuses to update or count on a round that does not exist, creating no stub', async () => {
    const missing = 'e'.repeat(32);
    await expect(repo.updateRound(missing, { status: 'STARTED' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.addToCounters(missing, { completed: 1 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await raw(keys.round(missing))).toBeUndefined();
  });
});

describe('row reports', () => {
  it('stores every error of a line, sorted by line, overwriting a line written again', async () => {
    const record = await created();
    const errors: RowError[] = [];
    for (let line = 2; line < 132; line++)
      errors.push(
        { line, column: 'phone', reason: 'not a Dutch mobile number' },
        { line, column: 'email', reason: 'not an e-mail address' },
      );
    // Reversed: the order of the calls must not matter, only the line.
    await repo.putRowErrors(record.roundId, errors.slice(100));
    await repo.putRowErrors(record.roundId, errors.slice(0, 100));
    await repo.putRowErrors(record.roundId, [
      { line: 3, column: '(row)', reason: 'no way to reach the household' },
    ]);

    const all = await repo.rowErrors(record.roundId, 1000);
    expect(all).toHaveLength(259);
    expect(all.slice(0, 4)).toEqual([
      { line: 2, column: 'phone', reason: 'not a Dutch mobile number' },
      { line: 2, column: 'email', reason: 'not an e-mail address' },
      { line: 3, column: '(row)', reason: 'no way to reach the household' },
      { line: 4, column: 'phone', reason: 'not a Dutch mobile number' },
    ]);
    expect(all.map((e) => e.line)).toEqual([...all.map((e) => e.line)].sort((a, b) => a - b));
    // The first rows with errors, each with all of its errors: lines 2 to 101 (line 3 has one).
    expect(await repo.rowErrors(record.roundId, 100)).toEqual(all.slice(0, 199));
    expect(await repo.rowErrors(record.roundId, 3)).toEqual(all.slice(0, 5));
    expect(await raw(keys.rowError(record.roundId, 131))).toMatchObject({ ttl: record.ttl });
  });

  it('stores failures by line, counts them exactly and lists the first ones', async () => {
    const record = await created();
    const failures = Array.from({ length: 60 }, (_, i) => ({
      line: 60 - i + 1,
      referenceEnc: `v2.sealed-REF-${60 - i}`,
      reason: 'reference already used in this round with other data',
    }));
    await repo.putRowFailures(record.roundId, failures);
    await repo.putRowFailures(record.roundId, failures.slice(0, 5));
    expect(await repo.countRowFailures(record.roundId)).toBe(60);
    const first = await repo.rowFailures(record.roundId, 10);
    expect(first.map((f) => f.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(first[0]).toEqual({ line: 2, referenceEnc: 'v2.sealed-REF-1', reason: failures[0]?.reason });
    expect(await raw(keys.rowFailure(record.roundId, 2))).toMatchObject({ ttl: record.ttl });
  });

  it('clears every error and failure of the round, and only those', async () => {
    const record = await created();
    const other = await created();
    const errors = Array.from({ length: 80 }, (_, i) => ({
      line: i + 2,
      column: 'reference',
      reason: 'missing',
    }));
    await repo.putRowErrors(record.roundId, errors);
    await repo.putRowFailures(record.roundId, [{ line: 90, referenceEnc: 'v2.A', reason: 'x' }]);
    await repo.putRowErrors(other.roundId, errors.slice(0, 3));
    await repo.clearRowReports(record.roundId);
    expect(await repo.rowErrors(record.roundId, 100)).toEqual([]);
    expect(await repo.countRowFailures(record.roundId)).toBe(0);
    expect(await repo.getRound(record.roundId)).toEqual(record);
    expect(await repo.rowErrors(other.roundId, 100)).toHaveLength(3);
  });

  it('refuses reports for a round that does not exist', async () => {
    await expect(
      repo.putRowErrors('d'.repeat(32), [{ line: 2, column: 'reference', reason: 'missing' }]),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the cases of a round (byRound)', () => {
  it('stores roundId and contextEnc on the case, indexes it, and keeps the index keys inside', async () => {
    const roundId = randomUUID().replaceAll('-', '');
    const record = caseRecord({ roundId, contextEnc: 'v1.sealed-context' });
    await cases.createCase(record, `link-${record.caseId}`);
    expect(await cases.getCase(record.caseId)).toEqual(record);
    expect(await raw(keys.case(record.caseId))).toMatchObject({
      gsi3pk: `ROUND#${roundId}`,
      gsi3sk: record.caseId,
    });
    const plain = caseRecord();
    await cases.createCase(plain, `link-${plain.caseId}`);
    const item = await raw(keys.case(plain.caseId));
    expect(item).not.toHaveProperty('gsi3pk');
    expect(item).not.toHaveProperty('roundId');
  });

  it('counts the cases of a round exactly and spreads them over stages and statuses', async () => {
    const roundId = randomUUID().replaceAll('-', '');
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const record = caseRecord({ roundId, ...(i < 20 && { stage: i < 12 ? 'round' : 'feedback' }) });
      await cases.createCase(record, `link-${record.caseId}`);
      ids.push(record.caseId);
    }
    const elsewhere = caseRecord({ roundId: randomUUID().replaceAll('-', ''), stage: 'round' });
    await cases.createCase(elsewhere, `link-${elsewhere.caseId}`);
    await cases.closeCase(ids[0] as string, 'COMPLETED');
    await cases.closeCase(ids[1] as string, 'COMPLETED');
    await cases.closeCase(ids[13] as string, 'EXPIRED');
    await cases.closeCase(ids[22] as string, 'CANCELLED', 'moved');

    expect(await repo.countRoundCases(roundId)).toBe(23);
    expect(await repo.roundSpread(roundId)).toEqual({
      stages: { round: 10, feedback: 7, '': 2 },
      statuses: { ACTIVE: 19, COMPLETED: 2, EXPIRED: 1, CANCELLED: 1 },
      counted: 23,
    });
    expect(await repo.countRoundCases(randomUUID())).toBe(0);
  });

  it('projects only stage and status into the index, as TABLE.byRound says', async () => {
    const roundId = randomUUID().replaceAll('-', '');
    const record = caseRecord({ roundId, stage: 'round', contextEnc: 'v1.secret' });
    await cases.createCase(record, `link-${record.caseId}`);
    const out = await local.db.send(
      new QueryCommand({
        TableName: local.table.tableName,
        IndexName: TABLE.byRound.name,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': `ROUND#${roundId}` },
      }),
    );
    expect(Object.keys(out.Items?.[0] ?? {}).sort()).toEqual([
      'gsi3pk',
      'gsi3sk',
      'pk',
      'sk',
      'stage',
      'status',
    ]);
  });
});
