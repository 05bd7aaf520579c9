import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import type { CaseFailure } from '../../../functions/domain/model';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord } from './fixtures';

// The case's status changes on a real DynamoDB API (dynalite): the conditions decide, not the reads.

let repo: DynamoCaseRepository;
const clock = { now: () => new Date('2025-04-01T12:00:00.000Z') };

const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName, clock);
});

const raw = async (caseId: string) =>
  (await local.db.send(new GetCommand({ TableName: local.table.tableName, Key: keys.case(caseId) }))).Item;

async function newCase() {
  const record = caseRecord();
  await repo.createCase(record, `link-${record.caseId}`);
  return record;
}

const failureOf = (execution: string, redriveCount = 0): CaseFailure => ({
  error: 'Lambda.TooManyRequestsException',
  cause: 'Rate exceeded',
  at: '2025-04-01T11:00:00.000Z',
  execution,
  redriveCount,
});

/** What the state machine does when a case continues in a new execution. */
const continueIn = (caseId: string, execution: string) =>
  local.db.send(
    new UpdateCommand({
      TableName: local.table.tableName,
      Key: keys.case(caseId),
      UpdateExpression: 'SET #execution = :execution',
      ExpressionAttributeNames: { '#execution': 'execution' },
      ExpressionAttributeValues: { ':execution': execution },
    }),
  );

describe('failCase', () => {
  it('moves ACTIVE -> FAILED once, with the failure, and the index lists it under FAILED', async () => {
    const record = await newCase();
    const failure = failureOf(record.caseId);
    expect(await repo.failCase(record.caseId, failure)).toBe(true);
    expect(await repo.failCase(record.caseId, failure)).toBe(false);
    expect(await repo.getCase(record.caseId)).toMatchObject({
      status: 'FAILED',
      failure,
      updatedAt: '2025-04-01T12:00:00.000Z',
    });
    expect(await raw(record.caseId)).toMatchObject({
      gsi2sk: `FAILED#${record.createdAt}#${record.caseId}`,
    });
    const listed = await repo.listCases({
      org: record.org,
      serviceId: record.serviceId,
      status: 'FAILED',
      limit: 100,
    });
    expect(listed.items.map((c) => c.caseId)).toContain(record.caseId);
  });

  it('ignores an execution the case has left (a continuation), and follows the one it is in', async () => {
    const record = await newCase();
    await continueIn(record.caseId, `${record.caseId}-2`);
    expect(await repo.failCase(record.caseId, failureOf(record.caseId))).toBe(false);
    expect(await repo.failCase(record.caseId, failureOf(`${record.caseId}-2`))).toBe(true);
  });

  it('does not fail a closed case', async () => {
    const record = await newCase();
    await repo.closeCase(record.caseId, 'CANCELLED', 'moved');
    expect(await repo.failCase(record.caseId, failureOf(record.caseId))).toBe(false);
    expect((await repo.getCase(record.caseId))?.status).toBe('CANCELLED');
  });
});

describe('reactivateCase and restoreFailure', () => {
  it('reactivates once; an older attempt cannot fail the case again, the redriven one can', async () => {
    const record = await newCase();
    const first = failureOf(record.caseId, 0);
    await repo.failCase(record.caseId, first);
    expect(await repo.reactivateCase(record.caseId, first)).toBe(true);
    expect(await repo.reactivateCase(record.caseId, first)).toBe(false);
    const active = await repo.getCase(record.caseId);
    expect(active).toMatchObject({ status: 'ACTIVE', redriven: { execution: record.caseId, count: 1 } });
    expect(active?.failure).toBeUndefined();
    expect(await raw(record.caseId)).toMatchObject({ gsi2sk: `ACTIVE#${record.createdAt}#${record.caseId}` });
    // A late copy of the first failure's event, then the redriven attempt failing in its turn.
    expect(await repo.failCase(record.caseId, first)).toBe(false);
    expect(await repo.failCase(record.caseId, failureOf(record.caseId, 1))).toBe(true);
  });

  it('a continuation starts counting again: its first failure counts after a redrive of the one before', async () => {
    const record = await newCase();
    await repo.failCase(record.caseId, failureOf(record.caseId, 0));
    await repo.reactivateCase(record.caseId, failureOf(record.caseId, 0));
    await continueIn(record.caseId, `${record.caseId}-2`);
    expect(await repo.failCase(record.caseId, failureOf(`${record.caseId}-2`, 0))).toBe(true);
  });

  it('reactivates only the failure that was read', async () => {
    const record = await newCase();
    await repo.failCase(record.caseId, failureOf(record.caseId, 0));
    expect(await repo.reactivateCase(record.caseId, failureOf(record.caseId, 3))).toBe(false);
    expect((await repo.getCase(record.caseId))?.status).toBe('FAILED');
  });

  it('restores the failure after a refused redrive', async () => {
    const record = await newCase();
    const failure = failureOf(record.caseId);
    await repo.failCase(record.caseId, failure);
    await repo.reactivateCase(record.caseId, failure);
    expect(await repo.restoreFailure(record.caseId, failure)).toBe(true);
    expect(await repo.getCase(record.caseId)).toMatchObject({ status: 'FAILED', failure });
    expect(await raw(record.caseId)).toMatchObject({ gsi2sk: `FAILED#${record.createdAt}#${record.caseId}` });
    // And it can be redriven again later.
    expect(await repo.reactivateCase(record.caseId, failure)).toBe(true);
  });

  it('of ten concurrent reactivations exactly one succeeds', async () => {
    const record = await newCase();
    const failure = failureOf(record.caseId);
    await repo.failCase(record.caseId, failure);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => repo.reactivateCase(record.caseId, failure)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('closeCase of a FAILED case', () => {
  it('cancels it and drops the failure; a COMPLETED or EXPIRED end needs an ACTIVE case', async () => {
    const record = await newCase();
    await repo.failCase(record.caseId, failureOf(record.caseId));
    expect(await repo.closeCase(record.caseId, 'EXPIRED')).toBe(false);
    expect(await repo.closeCase(record.caseId, 'CANCELLED', 'v2.sealed-reason')).toBe(true);
    const closed = await repo.getCase(record.caseId);
    expect(closed).toMatchObject({ status: 'CANCELLED', cancelReasonEnc: 'v2.sealed-reason' });
    expect(closed?.failure).toBeUndefined();
  });
});

describe('appendEvent with an id', () => {
  it('writes the event once however often it is appended', async () => {
    const record = await newCase();
    const event = {
      caseId: record.caseId,
      at: '2025-04-01T11:00:00.000Z',
      type: 'CASE_FAILED' as const,
      actor: 'system' as const,
    };
    await repo.appendEvent(event, 'failed-x-0');
    await repo.appendEvent(event, 'failed-x-0');
    const events = (await repo.getCaseView(record.caseId))?.events ?? [];
    expect(events.filter((e) => e.type === 'CASE_FAILED')).toHaveLength(1);
  });
});
