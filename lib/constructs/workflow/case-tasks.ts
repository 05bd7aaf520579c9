import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { JsonPath } from 'aws-cdk-lib/aws-stepfunctions';
import {
  DynamoAttributeValue as Attr,
  DynamoReturnValues,
  DynamoUpdateItem,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { CASE_BOOKKEEPING as BOOK, FORMAT_ARG, keys, TABLE } from '../../../functions/adapters/table-keys';
import type { Cost } from './budget';
import { DYNAMODB_TRANSIENT, retryTransient } from './retry';

// DynamoDB service integrations for the case bookkeeping (no Lambda). Every write to the case is
// guarded by status = ACTIVE: a case cancelled or ended meanwhile is never moved on or overwritten.
// Keys come from table-keys.ts, as States.Format strings (see FORMAT_ARG there).

/** The error a failed guard raises; the machine then ends quietly. */
export const CONDITION_FAILED = 'DynamoDB.ConditionalCheckFailedException';

export const now = JsonPath.stringAt('$$.State.EnteredTime');

/** A string attribute in `format` (a key function called with FORMAT_ARG), filled from state paths. */
export function formatted(format: string, ...paths: string[]): Attr {
  return Attr.fromString(JsonPath.format(format, ...paths.map((p) => JsonPath.stringAt(p))));
}

const caseKey = keys.case(FORMAT_ARG);
export const caseItemKey = () => ({
  [TABLE.partitionKey]: formatted(caseKey.pk, '$.caseId'),
  [TABLE.sortKey]: Attr.fromString(caseKey.sk),
});
export const ACTIVE = { ':active': Attr.fromString('ACTIVE') };

/**
 * Enters a stage: SET stage, updatedAt; ADD visits 1 and the stage visit's budget (see budget.ts).
 * Returns `$.entry = { visit, at, seconds, events }`: the visit number tells a re-opened step from
 * its earlier attempt, `at` is the entry time (open-step logs STAGE_ENTERED at it), and the budget
 * used so far is what the Choice before a back-jump compares.
 */
export function enterStage(scope: Construct, id: string, table: ITable, stageId: string, budget: Cost) {
  const task = new DynamoUpdateItem(scope, id, {
    table,
    key: caseItemKey(),
    updateExpression:
      'SET #stage = :stage, #updatedAt = :now ADD #visits :one, #seconds :seconds, #events :events',
    conditionExpression: '#status = :active',
    expressionAttributeNames: {
      '#stage': 'stage',
      '#updatedAt': 'updatedAt',
      '#visits': BOOK.visits,
      '#seconds': BOOK.budgetSeconds,
      '#events': BOOK.budgetEvents,
      '#status': 'status',
    },
    expressionAttributeValues: {
      ':stage': Attr.fromString(stageId),
      ':now': Attr.fromString(now),
      ':one': Attr.fromNumber(1),
      ':seconds': Attr.fromNumber(budget.seconds),
      ':events': Attr.fromNumber(budget.events),
      ...ACTIVE,
    },
    returnValues: DynamoReturnValues.UPDATED_NEW,
    resultSelector: {
      visit: JsonPath.stringAt(`$.Attributes.${BOOK.visits}.N`),
      at: JsonPath.stringAt('$.Attributes.updatedAt.S'),
      seconds: JsonPath.stringToJson(JsonPath.stringAt(`$.Attributes.${BOOK.budgetSeconds}.N`)),
      events: JsonPath.stringToJson(JsonPath.stringAt(`$.Attributes.${BOOK.budgetEvents}.N`)),
    },
    resultPath: '$.entry',
  });
  return retryTransient(task, DYNAMODB_TRANSIENT);
}

/** Ends the case: status COMPLETED or EXPIRED, and the byService sort key that follows the status. */
export function finishCase(scope: Construct, id: string, table: ITable, status: 'COMPLETED' | 'EXPIRED') {
  const index = keys.serviceIndex(FORMAT_ARG, FORMAT_ARG, status, FORMAT_ARG, FORMAT_ARG);
  const task = new DynamoUpdateItem(scope, id, {
    table,
    key: caseItemKey(),
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
      ':gsi2sk': formatted(index.gsi2sk, '$.createdAt', '$.caseId'),
      ...ACTIVE,
    },
    resultPath: JsonPath.DISCARD,
  });
  return retryTransient(task, DYNAMODB_TRANSIENT);
}

/**
 * Counts a round case's end on its round item: ADD completed 1 or expired 1. Only for an existing
 * round item, so a round that already expired is not re-created as a bare counter.
 */
export function countRoundEnd(scope: Construct, id: string, table: ITable, counter: 'completed' | 'expired') {
  const round = keys.round(FORMAT_ARG);
  const task = new DynamoUpdateItem(scope, id, {
    table,
    key: {
      [TABLE.partitionKey]: formatted(round.pk, '$.roundId'),
      [TABLE.sortKey]: Attr.fromString(round.sk),
    },
    updateExpression: 'ADD #counter :one',
    conditionExpression: 'attribute_exists(#pk)',
    expressionAttributeNames: { '#counter': counter, '#pk': TABLE.partitionKey },
    expressionAttributeValues: { ':one': Attr.fromNumber(1) },
    resultPath: JsonPath.DISCARD,
  });
  return retryTransient(task, DYNAMODB_TRANSIENT);
}
