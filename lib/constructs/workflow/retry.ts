import { Duration } from 'aws-cdk-lib';
import { JitterType, type RetryProps, type TaskStateBase } from 'aws-cdk-lib/aws-stepfunctions';
import { SECRET_READ_ERROR } from '../../../functions/shared/secrets';

// The retry policy of every Task state, in one place. Only errors that are worth another try are
// retried; when the tries run out the execution fails (nothing catches it into a Fail state), so
// an alarm fires, the case is marked FAILED (an EventBridge rule on the execution's status) and
// RedriveExecution resumes the very state that failed. A step's wait timeout (States.Timeout) is
// never retried: it is how reminders, escalation and expiry happen.

/**
 * Lambda's transient errors as the Lambda integrations report them ("Handle Lambda service
 * exceptions", https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html):
 * 5xx service errors, throttling (TooManyRequests, e.g. a round starving a new account's
 * concurrency) and Lambda.Unknown (out of memory, a crashed runtime).
 */
export const LAMBDA_TRANSIENT = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
] as const;

/**
 * DynamoDB's throttling and 5xx errors as the DynamoDB integration reports them
 * (`DynamoDB.<exception>`). The server error and the account limit are listed both as Step
 * Functions names its SDK's exceptions (…Exception, "Learning to use AWS service SDK integrations")
 * and as the API does (InternalServerError, RequestLimitExceeded), which is also what the local
 * engine reports from the JavaScript SDK: a name that never occurs costs nothing. A request that
 * got no answer (a connection reset or timed out) is `DynamoDB.SdkClientException`, "Unable to
 * execute HTTP request": like a 5xx, the write may or may not have been applied, so it is retried
 * on the same terms (the guards on status keep a repeat from moving an ended case).
 */
export const DYNAMODB_TRANSIENT = [
  'DynamoDB.SdkClientException',
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.InternalServerErrorException',
  'DynamoDB.InternalServerError',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.RequestLimitExceededException',
] as const;

/**
 * open-step's own transient failures, as the function's errorType (the error's name). The function
 * is idempotent (every write is conditional, the stage event has a fixed key), so running it again
 * is safe. After the SDK's own retries these are: DynamoDB and Step Functions throttling, a DynamoDB
 * 5xx, a socket timeout, the PII key not read from Secrets Manager (functions/shared/secrets.ts),
 * and the function's own timeout (Sandbox.Timedout). Its deliberate errors (OpenStep.BadPayload,
 * UnknownStep, UnknownCase) are bugs and fail at once.
 */
export const OPEN_STEP_TRANSIENT = [
  'Sandbox.Timedout',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'TimeoutError',
  SECRET_READ_ERROR,
] as const;

/**
 * The round functions' own throttling (round-start-cases' StartExecution calls, after the SDK's
 * retries; the case ids make a repeated batch idempotent).
 */
export const ROUND_FUNCTION_TRANSIENT = ['ThrottlingException'] as const;

/** Backoff of a retry policy: what a task may spend retrying (also bounds the execution budget). */
export interface Backoff {
  readonly intervalSeconds: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number;
  readonly maxAttempts: number;
}

/**
 * The service machines' tasks: a case waits days anyway, so they keep trying for up to about half
 * an hour (full jitter: on average half that), long enough to ride out a Lambda throttling storm
 * on a new account while a round starts thousands of cases.
 */
export const CASE_BACKOFF: Backoff = {
  intervalSeconds: 2,
  backoffRate: 2,
  maxDelaySeconds: 300,
  maxAttempts: 12,
};

/**
 * The round machine's tasks: a batch runs in an EXPRESS child execution that must end within five
 * minutes, so its retries stay short.
 */
export const ROUND_BACKOFF: Backoff = {
  intervalSeconds: 1,
  backoffRate: 2,
  maxDelaySeconds: 30,
  maxAttempts: 6,
};

/** The Retry of a task: `errors` with exponential backoff capped at MaxDelaySeconds and full jitter. */
export function retryProps(errors: readonly string[], backoff: Backoff): RetryProps {
  return {
    errors: [...errors],
    interval: Duration.seconds(backoff.intervalSeconds),
    backoffRate: backoff.backoffRate,
    maxDelay: Duration.seconds(backoff.maxDelaySeconds),
    maxAttempts: backoff.maxAttempts,
    jitterStrategy: JitterType.FULL,
  };
}

export function retryTransient<T extends TaskStateBase>(
  task: T,
  errors: readonly string[],
  backoff = CASE_BACKOFF,
): T {
  task.addRetry(retryProps(errors, backoff));
  return task;
}

/**
 * Starting the case's next execution (continue-as-new): Step Functions names the integration's
 * errors after its SDK, so rather than guess the name of a throttle, every task failure is retried
 * except ExecutionAlreadyExists, which says the continuation has started already (its name is fixed
 * by the case and the continuation number) and is caught by the caller.
 */
export function retryStartExecution<T extends TaskStateBase>(task: T): T {
  task.addRetry({ errors: [START_EXISTS], maxAttempts: 0 });
  task.addRetry(retryProps(['States.TaskFailed'], CASE_BACKOFF));
  return task;
}
export const START_EXISTS = 'StepFunctions.ExecutionAlreadyExistsException';

/** Seconds a task can spend waiting between its tries, at most (the sum of the capped delays). */
export function retryDelaySeconds(backoff: Backoff): number {
  let total = 0;
  for (let k = 0; k < backoff.maxAttempts; k++)
    total += Math.min(backoff.intervalSeconds * backoff.backoffRate ** k, backoff.maxDelaySeconds);
  return total;
}
