import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { providerOf } from '../../../functions/domain/access';
import { markCaseFailed, redriveFailedCase } from '../../../functions/domain/case-failure';
import { executionName } from '../../../functions/domain/model';
import type { AppError } from '../../../functions/shared/errors';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { FakeEngine, fixedClock } from '../../support/fakes';
import { caseRecord } from '../adapters/fixtures';

// Failing and redriving a case are exactly-once because of DynamoDB's conditional writes: checked
// here against a real DynamoDB API (dynalite), with requests that really overlap.

const staff = providerOf({
  'custom:org': 'gemeente-utrecht',
  'custom:orgKind': 'municipality',
  sub: 'staff-1',
});
let table: LocalTable;
let repo: DynamoCaseRepository;
const clock = fixedClock('2026-03-02T09:00:00.000Z');
const executions = {
  describeFailure: async () => ({ error: 'States.TaskFailed', cause: 'described', redriveCount: 0 }),
};

beforeAll(async () => {
  table = await startDynalite();
  repo = new DynamoCaseRepository(localDocumentClient(table.endpoint), table.tableName, clock);
});
afterAll(async () => table?.stop());

async function failedCase(): Promise<string> {
  const record = caseRecord();
  await repo.createCase(record, `link-${record.caseId}`);
  const stopped = {
    caseId: record.caseId,
    execution: executionName(record),
    executionArn: `arn:aws:states:eu-west-1:000000000000:execution:m:${record.caseId}`,
    status: 'FAILED' as const,
    error: 'Lambda.TooManyRequestsException',
    cause: 'Rate exceeded',
    stoppedAt: '2026-03-02T08:00:00.000Z',
    redriveCount: 0,
  };
  // EventBridge delivers at least once: five copies of the event at the same moment.
  const outcomes = await Promise.all(
    Array.from({ length: 5 }, () => markCaseFailed({ repo, executions }, stopped)),
  );
  expect(outcomes.filter((o) => o === 'failed')).toHaveLength(1);
  return record.caseId;
}

describe('on DynamoDB', () => {
  it('five copies of one status event make the case FAILED once, with one CASE_FAILED event', async () => {
    const caseId = await failedCase();
    const view = await repo.getCaseView(caseId);
    expect(view?.case.status).toBe('FAILED');
    expect(view?.events.filter((e) => e.type === 'CASE_FAILED')).toHaveLength(1);
  });

  it('ten concurrent redrives: exactly one redrive, nine 409 CASE_NOT_FAILED', async () => {
    const caseId = await failedCase();
    const engine = new FakeEngine();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => redriveFailedCase({ repo, engine, clock }, staff, caseId)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    expect(codes).toEqual(Array(9).fill('CASE_NOT_FAILED'));
    expect(engine.redriven).toEqual([{ serviceId: 'waste-collection', execution: caseId }]);
    const view = await repo.getCaseView(caseId);
    expect(view?.case.status).toBe('ACTIVE');
    expect(view?.events.filter((e) => e.type === 'CASE_REDRIVEN')).toHaveLength(1);
  });
});
