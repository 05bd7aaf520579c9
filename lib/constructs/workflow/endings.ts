import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Choice, Condition, JsonPath, type State, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { CONDITION_FAILED, countRoundEnd, finishCase } from './case-tasks';

// How a case's execution begins and ends, around its stages.

export interface Ending {
  /** One write: the case's new status. */
  readonly plain: State;
  /** A round's case (`roundId` in the input): the write, then the count on the round item. */
  readonly round: State;
}

/**
 * The end of a case as one write; a case started by a round also counts its end on the round item.
 * A count whose round item is gone (it expired first) ends quietly; any other failure fails the
 * execution after its retries, to be seen and redriven (the case itself has ended by then).
 */
export function caseEndings(scope: Construct, table: ITable, ended: State) {
  const guard = { errors: [CONDITION_FAILED], resultPath: '$.error' };
  const gone = new Succeed(scope, 'Round no longer there', {
    comment: 'The round item expired before its case ended: nothing to count on.',
  });
  const ending = (status: 'completed' | 'expired'): Ending => {
    const upper = status === 'completed' ? 'COMPLETED' : 'EXPIRED';
    const plain = finishCase(scope, `Mark case ${status}`, table, upper).addCatch(ended, guard);
    const count = countRoundEnd(scope, `Count round ${status}`, table, status);
    count.addCatch(gone, { errors: [CONDITION_FAILED], resultPath: JsonPath.DISCARD });
    const round = finishCase(scope, `Mark round case ${status}`, table, upper).addCatch(ended, guard);
    round.next(count);
    return { plain, round };
  };
  const completed = ending('completed');
  const expired = ending('expired');
  // A step's expiry fails its Parallel; its Catch cannot look at the input, this Choice does.
  const expire = new Choice(scope, 'Round case expired?')
    .when(Condition.isPresent('$.roundId'), expired.round)
    .otherwise(expired.plain);
  return { completed, expire };
}

/**
 * The first state: a continued execution (input `resumeAt`) goes to its stage, a new case to the
 * first stage. When a case can only continue at the first stage, the machine simply starts there.
 */
export function startState(
  scope: Construct,
  targets: { stageId: string; enter: State }[],
  first: State,
): State {
  if (targets.length === 0) return first;
  const choice = new Choice(scope, 'Resume at stage?');
  for (const { stageId, enter } of targets) {
    choice.when(
      Condition.and(Condition.isPresent('$.resumeAt'), Condition.stringEquals('$.resumeAt', stageId)),
      enter,
    );
  }
  return choice.otherwise(first);
}
