import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { JsonPath } from 'aws-cdk-lib/aws-stepfunctions';
import {
  DynamoAttributeValue as Attr,
  DynamoPutItem,
  DynamoReturnValues,
  DynamoUpdateItem,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { TABLE } from '../../../functions/adapters/table-keys';

// DynamoDB service integrations for the case bookkeeping (no Lambda). Every write is guarded by
// status = ACTIVE: a case cancelled or ended meanwhile is never moved on or overwritten.

/** The error a failed guard raises; the machine then ends quietly. */
export const CONDITION_FAILED = 'DynamoDB.ConditionalCheckFailedException';

const now = JsonPath.stringAt('$$.State.EnteredTime');
const caseKey = () => ({
  pk: Attr.fromString(JsonPath.format('CASE#{}', JsonPath.stringAt('$.caseId'))),
  sk: Attr.fromString('CASE'),
});
const active = { ':active': Attr.fromString('ACTIVE') };

/**
 * Enters a stage: SET stage, updatedAt; ADD visits 1. Returns `$.entry = { visit, ttl }` (strings):
 * the visit number tells a re-opened step from its earlier attempt, the case's ttl lets the
 * stage event expire with the case. `#ttl = #ttl` only makes UPDATED_NEW return it.
 */
export function enterStage(scope: Construct, id: string, table: ITable, stageId: string): DynamoUpdateItem {
  return new DynamoUpdateItem(scope, id, {
    table,
    key: caseKey(),
    updateExpression: 'SET #stage = :stage, #updatedAt = :now, #ttl = #ttl ADD #visits :one',
    conditionExpression: '#status = :active',
    expressionAttributeNames: {
      '#stage': 'stage',
      '#updatedAt': 'updatedAt',
      '#ttl': TABLE.ttl,
      '#visits': 'visits',
      '#status': 'status',
    },
    expressionAttributeValues: {
      ':stage': Attr.fromString(stageId),
      ':now': Attr.fromString(now),
      ':one': Attr.fromNumber(1),
      ...active,
    },
    returnValues: DynamoReturnValues.UPDATED_NEW,
    resultSelector: {
      visit: JsonPath.stringAt('$.Attributes.visits.N'),
      ttl: JsonPath.stringAt('$.Attributes.ttl.N'),
    },
    resultPath: '$.entry',
  });
}

/** Appends STAGE_ENTERED to the case's event log (sk EVENT#<time>#stage-<stageId>). */
export function stageEvent(scope: Construct, id: string, table: ITable, stageId: string): DynamoPutItem {
  return new DynamoPutItem(scope, id, {
    table,
    item: {
      pk: Attr.fromString(JsonPath.format('CASE#{}', JsonPath.stringAt('$.caseId'))),
      sk: Attr.fromString(JsonPath.format(`EVENT#{}#stage-${stageId}`, now)),
      caseId: Attr.fromString(JsonPath.stringAt('$.caseId')),
      at: Attr.fromString(now),
      type: Attr.fromString('STAGE_ENTERED'),
      actor: Attr.fromString('system'),
      detail: Attr.fromMap({
        stageId: Attr.fromString(stageId),
        visit: Attr.numberFromString(JsonPath.stringAt('$.entry.visit')),
      }),
      [TABLE.ttl]: Attr.numberFromString(JsonPath.stringAt('$.entry.ttl')),
    },
    resultPath: JsonPath.DISCARD,
  });
}

/** Ends the case: status COMPLETED or EXPIRED, and gsi2sk `<STATUS>#<createdAt>#<caseId>` for the console list. */
export function finishCase(
  scope: Construct,
  id: string,
  table: ITable,
  status: 'COMPLETED' | 'EXPIRED',
): DynamoUpdateItem {
  return new DynamoUpdateItem(scope, id, {
    table,
    key: caseKey(),
    updateExpression: 'SET #status = :status, #updatedAt = :now, #gsi2sk = :gsi2sk',
    conditionExpression: '#status = :active',
    expressionAttributeNames: {
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#gsi2sk': TABLE.byService.sortKey,
    },
    expressionAttributeValues: {
      ':status': Attr.fromString(status),
      ':now': Attr.fromString(now),
      ':gsi2sk': Attr.fromString(
        JsonPath.format(`${status}#{}#{}`, JsonPath.stringAt('$.createdAt'), JsonPath.stringAt('$.caseId')),
      ),
      ...active,
    },
    resultPath: JsonPath.DISCARD,
  });
}

/**
 * Counts a round case's end on its round item (pk ROUND#<roundId>, sk ROUND): ADD completed 1 or
 * expired 1. Only for an existing round item, so a round that already expired is not re-created as
 * a bare counter.
 */
export function countRoundEnd(
  scope: Construct,
  id: string,
  table: ITable,
  counter: 'completed' | 'expired',
): DynamoUpdateItem {
  return new DynamoUpdateItem(scope, id, {
    table,
    key: {
      pk: Attr.fromString(JsonPath.format('ROUND#{}', JsonPath.stringAt('$.roundId'))),
      sk: Attr.fromString('ROUND'),
    },
    updateExpression: 'ADD #counter :one',
    conditionExpression: 'attribute_exists(#pk)',
    expressionAttributeNames: { '#counter': counter, '#pk': TABLE.partitionKey },
    expressionAttributeValues: { ':one': Attr.fromNumber(1) },
    resultPath: JsonPath.DISCARD,
  });
}
