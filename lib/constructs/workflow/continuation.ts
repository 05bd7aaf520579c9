import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type IChainable,
  type IStateMachine,
  JsonPath,
  type State,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import {
  DynamoAttributeValue as Attr,
  DynamoPutItem,
  DynamoReturnValues,
  DynamoUpdateItem,
  StepFunctionsStartExecution,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  CASE_BOOKKEEPING as BOOK,
  continuationName,
  continuedEventId,
  FORMAT_ARG,
  keys,
  TABLE,
} from '../../../functions/adapters/table-keys';
import { ACTIVE, CONDITION_FAILED, caseItemKey, formatted, now } from './case-tasks';
import { DYNAMODB_TRANSIENT, retryStartExecution, retryTransient, START_EXISTS } from './retry';

// Continue-as-new: the case goes on at stage `stageId` in a fresh execution of the same machine,
// named <caseId>-<n>, with input { ...this execution's input, resumeAt, continuation: n }. The
// machine's first state routes on resumeAt. Four writes, in an order where a failure anywhere
// leaves the case's `execution` naming the execution that failed (so it is marked FAILED, and a
// redrive resumes it; the new execution can fail only after its first write's retries, long after
// step 4). A switch on every stage entry instead would leave a new execution that fails at its
// first write unnamed, and a switch before the start would name one that never started:
//   1. reset the budgets and count the continuation (n = continuations + 1),
//   2. log CASE_CONTINUED { from, to, stageId },
//   3. start the new execution,
//   4. make it the case's current execution.

export interface ContinuationParts {
  readonly table: ITable;
  /** This state machine, from its explicit name (a reference to itself would be a cycle). */
  readonly self: IStateMachine;
  /** Where a failed ACTIVE guard goes: the case was cancelled or ended meanwhile. */
  readonly ended: State;
}

const nextName = () => formatted(continuationName(FORMAT_ARG, FORMAT_ARG), '$.caseId', '$.continued.n');

export function continuation(scope: Construct, stageId: string, parts: ContinuationParts): IChainable {
  const { table, ended } = parts;
  const guard = { errors: [CONDITION_FAILED], resultPath: '$.error' };
  // n = continuations + 1: the first continuation is the case's second execution. (CDK types
  // mathAdd's operands as numbers; a nested intrinsic renders fine.)
  const count = JsonPath.stringToJson(JsonPath.stringAt(`$.Attributes.${BOOK.continuations}.N`));
  const n = JsonPath.mathAdd(count as unknown as number, 1);

  const reset = new DynamoUpdateItem(scope, `Continue at stage ${stageId}`, {
    table,
    key: caseItemKey(),
    // `#ttl = #ttl` only makes UPDATED_NEW return the ttl the event copies.
    updateExpression: 'SET #seconds = :zero, #events = :zero, #ttl = #ttl ADD #continuations :one',
    conditionExpression: '#status = :active',
    expressionAttributeNames: {
      '#seconds': BOOK.budgetSeconds,
      '#events': BOOK.budgetEvents,
      '#ttl': TABLE.ttl,
      '#continuations': BOOK.continuations,
      '#status': 'status',
    },
    expressionAttributeValues: { ':zero': Attr.fromNumber(0), ':one': Attr.fromNumber(1), ...ACTIVE },
    returnValues: DynamoReturnValues.UPDATED_NEW,
    resultSelector: {
      n,
      ttl: JsonPath.stringAt(`$.Attributes.${TABLE.ttl}.N`),
      input: { resumeAt: stageId, continuation: n },
    },
    resultPath: '$.continued',
  });
  reset.addCatch(ended, guard);

  const event = keys.event(FORMAT_ARG, FORMAT_ARG, continuedEventId(FORMAT_ARG));
  const log = new DynamoPutItem(scope, `Log continuation at stage ${stageId}`, {
    table,
    item: {
      ...caseItemKey(),
      [TABLE.sortKey]: formatted(event.sk, '$$.State.EnteredTime', '$.continued.n'),
      caseId: Attr.fromString(JsonPath.stringAt('$.caseId')),
      at: Attr.fromString(now),
      type: Attr.fromString('CASE_CONTINUED'),
      actor: Attr.fromString('system'),
      detail: Attr.fromMap({
        from: Attr.fromString(JsonPath.stringAt('$$.Execution.Name')),
        to: nextName(),
        stageId: Attr.fromString(stageId),
      }),
      [TABLE.ttl]: Attr.numberFromString(JsonPath.stringAt('$.continued.ttl')),
    },
    resultPath: JsonPath.DISCARD,
  });

  const start = new StepFunctionsStartExecution(scope, `Start continuation at stage ${stageId}`, {
    stateMachine: parts.self,
    name: JsonPath.format(
      continuationName(FORMAT_ARG, FORMAT_ARG),
      JsonPath.stringAt('$.caseId'),
      JsonPath.stringAt('$.continued.n'),
    ),
    input: TaskInput.fromJsonPathAt(
      JsonPath.jsonMerge(JsonPath.objectAt('$$.Execution.Input'), JsonPath.objectAt('$.continued.input')),
    ),
    resultPath: JsonPath.DISCARD,
  });

  const switched = new DynamoUpdateItem(scope, `Switch to continuation at stage ${stageId}`, {
    table,
    key: caseItemKey(),
    updateExpression: 'SET #execution = :execution',
    conditionExpression: '#status = :active',
    expressionAttributeNames: { '#execution': BOOK.execution, '#status': 'status' },
    expressionAttributeValues: { ':execution': nextName(), ...ACTIVE },
    resultPath: JsonPath.DISCARD,
  });
  switched.addCatch(ended, guard);
  // Started already (a retry after a lost answer): it only remains to make it current.
  start.addCatch(switched, { errors: [START_EXISTS], resultPath: '$.error' });

  retryTransient(reset, DYNAMODB_TRANSIENT);
  retryTransient(log, DYNAMODB_TRANSIENT);
  retryStartExecution(start);
  retryTransient(switched, DYNAMODB_TRANSIENT);
  return reset.next(log).next(start).next(switched);
}
