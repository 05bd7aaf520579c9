/**
 * Shared types of the local Step Functions engine: JSON values, the Amazon States Language
 * shapes we read, and the error type that carries an ASL error name plus a cause string.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * A States Language error. `error` is the name matched by Retry/Catch (`States.Timeout`,
 * `Lambda.ServiceException`, a Fail state's Error...), `cause` the human readable detail.
 * We keep the name out of `Error.name` so stack traces stay readable.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
  }
}

/**
 * A missed heartbeat. AWS reports it as States.Timeout with no cause (recorded AWS histories:
 * TaskTimedOut / ExecutionFailed carry `"error": "States.Timeout"`), while Retry and Catch may
 * also name it `States.HeartbeatTimeout` (retry.ts).
 */
export class HeartbeatTimeout extends StatesError {
  constructor() {
    super('States.Timeout', '');
  }
}

export function runtimeError(message: string): StatesError {
  return new StatesError('States.Runtime', message);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Catcher / retrier entries as written in the definition. */
export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}
export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

/** A state as written in the definition; fields are checked when the machine is compiled. */
export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: Json;
  ResultSelector?: Json;
  Result?: Json;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
  Choices?: JsonObject[];
  Default?: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Branches?: AslGraph[];
  Iterator?: AslGraph;
  ItemProcessor?: AslGraph & { ProcessorConfig?: JsonObject };
  ItemsPath?: string;
  ItemSelector?: Json;
  MaxConcurrency?: number;
  ItemReader?: JsonObject;
  ItemBatcher?: JsonObject;
  ToleratedFailurePercentage?: number;
  ToleratedFailureCount?: number;
  Label?: string;
  ResultWriter?: JsonObject;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export interface AslGraph {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  Comment?: string;
  Version?: string;
  QueryLanguage?: string;
}
