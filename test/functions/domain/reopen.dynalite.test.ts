import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import type { CaseRecord } from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import { reopenCase } from '../../../functions/domain/reopen';
import type { AppError } from '../../../functions/shared/errors';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { FakeEngine, fixedClock } from '../../support/fakes';
import { caseRecord } from '../adapters/fixtures';
import { MemoryNotifier } from './sms-fakes';

// Reopening is exactly-once because of one conditional UpdateItem: checked against a real DynamoDB
// API (dynalite), with requests that really overlap, and with the bookkeeping the machine reads.

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const clock = fixedClock('2025-03-05T09:00:00.000Z');
let table: LocalTable;
let repo: DynamoCaseRepository;

beforeAll(async () => {
  table = await startDynalite();
  repo = new DynamoCaseRepository(localDocumentClient(table.endpoint), table.tableName, clock);
});
afterAll(async () => table?.stop());

const rawCase = async (caseId: string) =>
  (
    await localDocumentClient(table.endpoint).send(
      new GetCommand({ TableName: table.tableName, Key: keys.case(caseId), ConsistentRead: true }),
    )
  ).Item ?? {};

async function completed(): Promise<CaseRecord> {
  const record = caseRecord({
    status: 'COMPLETED',
    stage: 'feedback',
    updatedAt: '2025-03-02T09:00:00.000Z',
  });
  await repo.createCase(record, `link-${record.caseId}`);
  return record;
}

describe('on DynamoDB', () => {
  it('ten concurrent reopenings: one goes through, nine 409; one event, one execution', async () => {
    const record = await completed();
    const engine = new FakeEngine();
    const deps = { repo, reopener: repo, engine, notifier: new MemoryNotifier(), log: repo, clock, vault };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        reopenCase(
          { ...deps, publicUrl: 'https://api.example.nl' },
          record,
          { actor: 'citizen' },
          `Reden ${i}`,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    expect(codes).toEqual(Array(9).fill('CASE_NOT_COMPLETED'));
    const name = `${record.caseId}-2`;
    expect(engine.resumed.map((r) => r.execution)).toEqual([name]);
    // What the machine and the listings read: the counter a later continuation adds to, the index key.
    expect(await rawCase(record.caseId)).toMatchObject({
      status: 'ACTIVE',
      execution: name,
      continuations: 1,
      budgetSeconds: 0,
      budgetEvents: 0,
      gsi2sk: `ACTIVE#${record.createdAt}#${record.caseId}`,
      reopened: { at: '2025-03-05T09:00:00.000Z', execution: name },
    });
    const view = await repo.getCaseView(record.caseId);
    expect(view?.events.filter((e) => e.type === 'CASE_REOPENED')).toHaveLength(1);
  });

  it('refuses a write based on a stale read of the completion', async () => {
    const record = await completed();
    expect(
      await repo.reopen(record.caseId, '2025-03-01T00:00:00.000Z', '2025-03-05T09:00:00.000Z'),
    ).toBeUndefined();
    expect((await rawCase(record.caseId)).status).toBe('COMPLETED');
  });
});
