import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import type { CaseRecord } from '../../../functions/domain/model';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { lambdaContext } from '../../support/http-event';
import { caseRecord } from '../adapters/fixtures';

// The EventBridge rule's target, with the events as AWS sends them, on a real DynamoDB API (dynalite).
// Only DescribeExecution is mocked.

const sfn = mockClient(SFNClient);
let table: LocalTable;
let repo: DynamoCaseRepository;
let handler: typeof import('../../../functions/handlers/case-failed').handler;
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:coproduce-test-waste-collection';

beforeAll(async () => {
  table = await startDynalite();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = table.endpoint;
  repo = new DynamoCaseRepository(localDocumentClient(table.endpoint), table.tableName);
  handler = (await import('../../../functions/handlers/case-failed')).handler;
}, 30_000);
afterAll(() => table?.stop());
afterEach(() => sfn.reset());

async function activeCase(over: Partial<CaseRecord> = {}): Promise<CaseRecord> {
  const record = caseRecord(over);
  await repo.createCase(record, `link-${record.caseId}`);
  return record;
}

/** https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html, as the rule delivers it. */
function statusChange(record: CaseRecord, detail: Record<string, unknown> = {}) {
  const name = (detail.name as string | undefined) ?? record.caseId;
  const executionArn = `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    version: '0',
    id: 'b0a6d4c6-0000-0000-0000-000000000000',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2026-03-02T08:00:01Z',
    region: 'eu-west-1',
    resources: [executionArn],
    detail: {
      executionArn,
      stateMachineArn: MACHINE,
      name,
      status: 'FAILED',
      startDate: 1_772_400_000_000,
      stopDate: 1_772_438_400_000,
      input: JSON.stringify({
        caseId: record.caseId,
        serviceId: record.serviceId,
        org: record.org,
        createdAt: record.createdAt,
      }),
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate Exceeded.',
      redriveCount: 0,
      ...detail,
    },
  };
}

const run = (event: unknown) => handler(event, lambdaContext);
const failedEvents = async (caseId: string) =>
  ((await repo.getCaseView(caseId))?.events ?? []).filter((e) => e.type === 'CASE_FAILED');

describe('case-failed', () => {
  it('marks the case FAILED with the error, the cause, when and which execution', async () => {
    const record = await activeCase();
    await run(statusChange(record));
    expect(await repo.getCase(record.caseId)).toMatchObject({
      status: 'FAILED',
      failure: {
        error: 'Lambda.TooManyRequestsException',
        cause: 'Rate Exceeded.',
        at: new Date(1_772_438_400_000).toISOString(),
        execution: record.caseId,
        redriveCount: 0,
      },
    });
    expect(await failedEvents(record.caseId)).toHaveLength(1);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('changes nothing for a repeated event', async () => {
    const record = await activeCase();
    await run(statusChange(record));
    const before = await repo.getCaseView(record.caseId);
    await run(statusChange(record));
    await run(statusChange(record, { cause: 'a cause told differently' }));
    expect(await repo.getCaseView(record.caseId)).toEqual(before);
  });

  it('asks DescribeExecution when the event has no error or cause (TIMED_OUT, ABORTED)', async () => {
    const record = await activeCase();
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'TIMED_OUT', error: 'States.Timeout', redriveCount: 0 });
    const event = statusChange(record, { status: 'TIMED_OUT', error: null, cause: null });
    await run(event);
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(DescribeExecutionCommand, {
      executionArn: event.detail.executionArn,
    });
    expect((await repo.getCase(record.caseId))?.failure).toMatchObject({
      error: 'States.Timeout',
      cause: '',
    });
  });

  it('cuts a long cause to 1,000 characters', async () => {
    const record = await activeCase();
    await run(statusChange(record, { cause: JSON.stringify({ errorMessage: 'x'.repeat(40_000) }) }));
    expect((await repo.getCase(record.caseId))?.failure?.cause).toHaveLength(1000);
  });

  it('ignores an execution that is not the case’s current one, and a case that is not ACTIVE', async () => {
    const continued = await activeCase({ execution: 'placeholder' });
    await run(statusChange(continued, { name: continued.caseId }));
    expect((await repo.getCase(continued.caseId))?.status).toBe('ACTIVE');

    const cancelled = await activeCase();
    await repo.closeCase(cancelled.caseId, 'CANCELLED', 'moved away');
    await run(statusChange(cancelled, { status: 'ABORTED', error: 'Case.Cancelled', cause: 'moved away' }));
    expect((await repo.getCase(cancelled.caseId))?.status).toBe('CANCELLED');
    expect(await failedEvents(cancelled.caseId)).toEqual([]);
  });

  it.each([
    ['another event', { source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }],
    ['a status that is no failure', 'SUCCEEDED'],
    ['an input without a case id', 'no-case'],
    ['an input that is not JSON', 'not-json'],
  ])('drops %s without throwing', async (_, kind) => {
    const record = await activeCase();
    const event =
      typeof kind === 'object'
        ? kind
        : kind === 'SUCCEEDED'
          ? statusChange(record, { status: 'SUCCEEDED', error: null, cause: null })
          : statusChange(record, { input: kind === 'no-case' ? '{"serviceId":"x"}' : '{"caseId":' });
    await expect(run(event)).resolves.toBeUndefined();
    expect((await repo.getCase(record.caseId))?.status).toBe('ACTIVE');
  });

  it('throws when DescribeExecution fails, for EventBridge to retry', async () => {
    const record = await activeCase();
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(run(statusChange(record, { error: undefined, cause: undefined }))).rejects.toThrow(
      'Rate exceeded',
    );
    expect((await repo.getCase(record.caseId))?.status).toBe('ACTIVE');
  });
});
