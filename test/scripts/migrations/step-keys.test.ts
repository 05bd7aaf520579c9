import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { moveStepKeys, OLD_STEP_PREFIX } from '../../../scripts/migrations/step-keys';
import { caseRecord } from '../../functions/adapters/fixtures';
import { useLocalTable } from '../../support/dynalite';

// A table written before the step items' keys moved: after the move the code reads every step again,
// the phone index with it, and nothing else in the table changed.

let repo: DynamoCaseRepository;
const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});
let db: DynamoDBClient;
beforeAll(() => {
  db = new DynamoDBClient({
    endpoint: local.table.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => db?.destroy());

type Item = Record<string, AttributeValue>;
const table = () => local.table.tableName;
const get = async (key: { pk: string; sk: string }) =>
  (
    await db.send(
      new GetItemCommand({
        TableName: table(),
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        ConsistentRead: true,
      }),
    )
  ).Item;
const put = (item: Item) => db.send(new PutItemCommand({ TableName: table(), Item: item }));

/** A case from before the move: its case item as the code writes it, and a step item under the old key. */
async function oldCase(stepId = 'present') {
  const record = caseRecord();
  await repo.createCase(record, `link-${record.caseId}`);
  const step: Item = {
    pk: { S: keys.case(record.caseId).pk },
    sk: { S: `${OLD_STEP_PREFIX}${stepId}` },
    caseId: { S: record.caseId },
    stepId: { S: stepId },
    actor: { S: 'citizen' },
    status: { S: 'OPEN' },
    visit: { N: '1' },
    openedAt: { S: '2026-03-01T09:00:00.000Z' },
    dueAt: { S: '2026-03-08T09:00:00.000Z' },
    expiresAt: { S: '2026-03-15T09:00:00.000Z' },
    reminders: { N: '0' },
    escalated: { BOOL: false },
    taskToken: { S: 'token-1' },
    shortCode: { S: 'K7' },
    phoneHash: { S: `phone-${record.caseId}` },
    tags: { SS: ['b', 'a'] },
    ...Object.fromEntries(
      Object.entries(keys.phoneIndex(`phone-${record.caseId}`, record.caseId, stepId)).map(([k, v]) => [
        k,
        { S: v },
      ]),
    ),
  };
  await put(step);
  return { caseId: record.caseId, stepId, step };
}

describe('moving the step items to their new keys', () => {
  it('moves each old step item whole, the phone index with it, and leaves the rest of the table alone', async () => {
    const { caseId, stepId, step } = await oldCase();
    expect(await repo.getStep(caseId, stepId)).toBeUndefined(); // the new code does not see it yet
    const caseBefore = await get(keys.case(caseId));

    const result = await moveStepKeys(db, table());
    expect(result.conflicts).toEqual([]);
    expect(result.moved).toBe(1);

    expect(await get({ pk: keys.case(caseId).pk, sk: `${OLD_STEP_PREFIX}${stepId}` })).toBeUndefined();
    const moved = await get(keys.step(caseId, stepId));
    expect({ ...moved, tags: undefined }).toEqual({
      ...step,
      sk: { S: keys.step(caseId, stepId).sk },
      tags: undefined,
    });
    expect(new Set(moved?.tags?.SS)).toEqual(new Set(['a', 'b']));
    expect(await get(keys.case(caseId))).toEqual(caseBefore);
    // What the code reads of it: the step, where the case stands, and the open steps of the phone.
    expect(await repo.getStep(caseId, stepId)).toMatchObject({ stepId, status: 'OPEN', shortCode: 'K7' });
    expect((await repo.getCaseStanding(caseId))?.steps.map((s) => s.stepId)).toEqual([stepId]);
    expect((await repo.openStepsForPhone(`phone-${caseId}`)).map((s) => s.stepId)).toEqual([stepId]);
    // A second run finds nothing left to move.
    expect(await moveStepKeys(db, table())).toEqual({ moved: 0, conflicts: [] });
  });

  it('finishes a move that stopped between its put and its delete', async () => {
    const { caseId, stepId, step } = await oldCase();
    await put({ ...step, sk: { S: keys.step(caseId, stepId).sk } });
    expect(await moveStepKeys(db, table())).toEqual({ moved: 1, conflicts: [] });
    expect(await get({ pk: keys.case(caseId).pk, sk: `${OLD_STEP_PREFIX}${stepId}` })).toBeUndefined();
    expect(await repo.getStep(caseId, stepId)).toMatchObject({ status: 'OPEN' });
  });

  it('leaves both items and reports the old one when the new code wrote a different step under the new key', async () => {
    const { caseId, stepId, step } = await oldCase();
    const newer = {
      ...step,
      sk: { S: keys.step(caseId, stepId).sk },
      visit: { N: '2' },
      taskToken: { S: 'token-2' },
    };
    await put(newer);
    const result = await moveStepKeys(db, table());
    expect(result).toEqual({
      moved: 0,
      conflicts: [{ pk: keys.case(caseId).pk, sk: `${OLD_STEP_PREFIX}${stepId}` }],
    });
    expect(await get({ pk: keys.case(caseId).pk, sk: `${OLD_STEP_PREFIX}${stepId}` })).toEqual(step);
    expect(await get(keys.step(caseId, stepId))).toEqual(newer);
    await db.send(
      new DeleteItemCommand({
        TableName: table(),
        Key: { pk: step.pk as AttributeValue, sk: step.sk as AttributeValue },
      }),
    );
  });

  it('moves only step items of case partitions', async () => {
    const other: Item = {
      pk: { S: 'ROUND#r1' },
      sk: { S: `${OLD_STEP_PREFIX}x` },
      note: { S: 'not a step' },
    };
    await put(other);
    expect(await moveStepKeys(db, table())).toEqual({ moved: 0, conflicts: [] });
    expect(await get({ pk: 'ROUND#r1', sk: `${OLD_STEP_PREFIX}x` })).toEqual(other);
  });
});
