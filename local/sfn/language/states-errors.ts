/**
 * The errors of the States Language, one class each, as AWS names them ("Error names",
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). An error
 * carries the name Retry and Catch match (`error`) and a human readable `cause`; the name stays
 * out of `Error.name` so stack traces stay readable. Errors a Task's integration raises
 * (`Lambda.ServiceException`, a function's own error type...) are plain StatesErrors.
 */

export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
  }
}

/** States.Runtime: "isn't retriable, and will always cause the execution to fail". */
export class StatesRuntimeError extends StatesError {
  constructor(cause: string) {
    super('States.Runtime', cause);
  }
}

/** A task past its TimeoutSeconds: AWS reports States.Timeout without a cause. */
export class TaskTimeout extends StatesError {
  constructor() {
    super('States.Timeout', '');
  }
}

/**
 * A missed heartbeat. AWS reports it as States.Timeout with no cause (recorded AWS histories:
 * TaskTimedOut / ExecutionFailed carry `"error": "States.Timeout"`), while Retry and Catch may
 * also name it `States.HeartbeatTimeout` (retry-and-catch.ts).
 */
export class HeartbeatTimeout extends StatesError {
  constructor() {
    super('States.Timeout', '');
  }
}

export class ResultPathMatchFailure extends StatesError {
  constructor(path: string, input: unknown) {
    super(
      'States.ResultPathMatchFailure',
      `Unable to apply ResultPath '${path}' to input '${JSON.stringify(input)}'`,
    );
  }
}

export class NoChoiceMatched extends StatesError {
  constructor(stateName: string) {
    super('States.NoChoiceMatched', `No Matches! at state '${stateName}'`);
  }
}

export class ItemReaderFailed extends StatesError {
  constructor(cause: string) {
    super('States.ItemReaderFailed', cause);
  }
}

export class ExceedToleratedFailureThreshold extends StatesError {
  constructor(cause: string) {
    super('States.ExceedToleratedFailureThreshold', cause);
  }
}

/** A payload over the 256 KiB quota: a terminal error that States.ALL does not catch. */
export class DataLimitExceeded extends StatesError {
  constructor(cause: string) {
    super('States.DataLimitExceeded', cause);
  }
}

/** The error of a Fail state: the Fail state itself has no Retry or Catch to handle it. */
export class FailStateError extends StatesError {
  constructor(error: string | undefined, cause: string | undefined) {
    super(error ?? '', cause ?? '');
  }
}

/** Anything thrown while running a state, as the States error it stands for. */
export function asStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  return new StatesRuntimeError(e instanceof Error ? e.message : String(e));
}

/** A definition CreateStateMachine must refuse (not a States error: nothing runs). */
export class DefinitionError extends Error {}
