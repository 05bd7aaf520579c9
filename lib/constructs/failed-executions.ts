import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export interface FailedExecutionsProps {
  /** The service machines: an execution of theirs that fails, times out or is aborted. */
  readonly machines: IStateMachine[];
  /** case-failed: marks the case FAILED (ignores a case that is no longer ACTIVE, and older executions). */
  readonly handler: LambdaFunction;
  readonly removalPolicy: RemovalPolicy;
}

/** The execution statuses after which a case cannot go on by itself. */
export const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/**
 * Failures become visible on the case. An EventBridge rule on the Step Functions status change
 * events of the service machines calls case-failed, so the execution itself stays failed where it
 * failed and a redrive resumes the state that failed (a Catch into a Fail state would leave a redrive
 * nothing to resume but the Fail state).
 *
 * Two retry layers, each ending in the dead-letter queue: EventBridge retries the invocation itself
 * (throttled, for instance) for up to 24 hours, and Lambda retries a failed run twice (case-failed is
 * idempotent) before its on-failure destination.
 */
export class FailedExecutions extends Construct {
  readonly rule: Rule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: FailedExecutionsProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'failed-execution events that could not be recorded on their case',
      removalPolicy: props.removalPolicy,
    });
    this.rule = new Rule(this, 'Rule', {
      description: 'coproduce: a service execution failed, timed out or was aborted -> case-failed',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...FAILED_STATUSES],
          stateMachineArn: props.machines.map((m) => m.stateMachineArn),
        },
      },
    });
    this.rule.addTarget(
      new LambdaTarget(props.handler, {
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
        deadLetterQueue: this.deadLetters.queue,
      }),
    );
    props.handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
  }
}
