import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { CASE_PARTITION, TABLE } from '../../functions/adapters/table-keys';
import { sameItem } from '../../local/runtime/item-size';

// The step items' sort keys moved from STEP#<stepId> to #STEP#<stepId> (table-keys.ts: the steps sort just
// before the case item, so a status poll reads the case and its steps in one Query). Code from before the
// move wrote the old keys, which the code after it does not read: a table with cases from before needs
// every old step item moved once, right after the deploy that brings the new code.
//
// A move is a put of the same item under the new key (only if none is there) and then the delete of the
// old one. DynamoDB Local's stand-ins have no transactions, and neither is needed: a run cut off between
// the two finds, next time, a new item equal to the old one, and finishes the move. A new item that
// differs was written by the new code meanwhile (a reminder that re-armed the step, say): both are left
// as they are and reported, for a person to decide.

/** The sort key prefix the step items had before the move. */
export const OLD_STEP_PREFIX = 'STEP#';

export interface StepKeyMove {
  /** Old step items now under their new key. */
  moved: number;
  /** Old step items left alone: an item that differs is under the new key already (pk, old sk). */
  conflicts: { pk: string; sk: string }[];
}

type Item = Record<string, AttributeValue>;

/** Moves every step item of `table` still under its old key. Safe to run again, and while cases run. */
export async function moveStepKeys(
  db: DynamoDBClient,
  table: string,
  progress: (moved: number) => void = () => undefined,
): Promise<StepKeyMove> {
  const result: StepKeyMove = { moved: 0, conflicts: [] };
  let start: Item | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(#pk, :case) AND begins_with(#sk, :step)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
        ExpressionAttributeValues: { ':case': { S: 'CASE#' }, ':step': { S: OLD_STEP_PREFIX } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (await moveOne(db, table, item)) result.moved++;
      else result.conflicts.push({ pk: String(item.pk?.S), sk: String(item.sk?.S) });
    }
    progress(result.moved);
    start = page.LastEvaluatedKey;
  } while (start);
  return result;
}

/** The item under its new key: moved (true), or left alone because another item is there (false). */
async function moveOne(db: DynamoDBClient, table: string, item: Item): Promise<boolean> {
  const oldKey = { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue };
  const stepId = String(item.sk?.S).slice(OLD_STEP_PREFIX.length);
  const moved: Item = { ...item, sk: { S: `${CASE_PARTITION.step}${stepId}` } };
  try {
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: moved,
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const there = await db.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: moved.pk, sk: moved.sk } as Item,
        ConsistentRead: true,
      }),
    );
    // Equal: an earlier run put it and stopped before the delete. Else the new code wrote it.
    if (!there.Item || !sameItem(there.Item as never, moved as never)) return false;
  }
  await db.send(new DeleteItemCommand({ TableName: table, Key: oldKey }));
  return true;
}
