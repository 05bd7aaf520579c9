/**
 * Lambda's asynchronous invocation (InvocationType Event), the way SNS and EventBridge invoke a
 * function: the event is queued and the caller gets no result. When the function returns an error
 * (or times out), Lambda runs it up to two more times, one minute after the first attempt and two
 * minutes after the second, unless the function's EventInvokeConfig says otherwise (retries 0-2, a
 * maximum event age 60 s-6 h). An event that still fails goes to the on-failure destination and/or
 * the function's dead-letter queue; without either it is dropped (here: a log line).
 * A throttle or a Lambda service error is not an attempt: Lambda puts the event back in its queue and
 * tries again, from 1 second up to 5 minutes apart, until the event's maximum age.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 *
 * The delays run on the engine clock, so a fast-forward fires due retries. Unlike Lambda's queue this
 * one is not durable: pending retries are lost on a restart. That is deliberate: an SNS-delivered SMS
 * carries a phone number and the message text in clear, which must never be written to disk here.
 */
import { randomUUID } from 'node:crypto';
import type { FunctionSpec } from './lambda';
import { functionNameOf } from './names';
import { type ResolveContext, resolve } from './resolve';
import type { Scheduler } from './scheduler';
import { resourcesOfType } from './template';

export interface AsyncConfig {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  onSuccess?: string;
  onFailure?: string;
  /** The function's DeadLetterConfig target (SQS queue or SNS topic ARN). */
  deadLetter?: string;
}

export const DEFAULT_ASYNC: AsyncConfig = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };
/** Waits before the second and the third attempt after a function error. */
const RETRY_DELAYS_MS = [60_000, 120_000];
/** Errors of the Invoke call after which Lambda keeps the event queued (429 and 5xx). */
const REQUEUED = new Set(['TooManyRequestsException', 'ServiceException']);

/** Each function's async settings: AWS::Lambda::EventInvokeConfig (unqualified or $LATEST) and DeadLetterConfig. */
export function asyncConfigs(ctx: ResolveContext, functions: FunctionSpec[]): Map<string, AsyncConfig> {
  const byName = new Map<string, AsyncConfig>(functions.map((f) => [f.name, { ...DEFAULT_ASYNC }]));
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::Lambda::Function')) {
    const f = functions.find((x) => x.logicalId === id);
    const dlq = (resolve(ctx, r.Properties?.DeadLetterConfig ?? {}) as { TargetArn?: string }).TargetArn;
    if (f && dlq) (byName.get(f.name) as AsyncConfig).deadLetter = dlq;
  }
  for (const [, r] of resourcesOfType(ctx.template, 'AWS::Lambda::EventInvokeConfig')) {
    const p = resolve(ctx, r.Properties ?? {}) as {
      FunctionName?: string;
      Qualifier?: string;
      MaximumRetryAttempts?: number;
      MaximumEventAgeInSeconds?: number;
      DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
    };
    const config = byName.get(functionNameOf(String(p.FunctionName)));
    if (!config || (p.Qualifier !== undefined && p.Qualifier !== '$LATEST')) continue;
    if (p.MaximumRetryAttempts !== undefined) config.maximumRetryAttempts = p.MaximumRetryAttempts;
    if (p.MaximumEventAgeInSeconds !== undefined) config.maximumEventAgeSeconds = p.MaximumEventAgeInSeconds;
    const onSuccess = p.DestinationConfig?.OnSuccess?.Destination;
    const onFailure = p.DestinationConfig?.OnFailure?.Destination;
    if (onSuccess) config.onSuccess = onSuccess;
    if (onFailure) config.onFailure = onFailure;
  }
  return byName;
}

export interface AttemptResult {
  ok: boolean;
  result?: unknown;
  error?: { errorType: string; errorMessage: string };
}

export interface AsyncInvocation {
  requestId: string;
  /** The first attempt's outcome (what a caller that waits for "the subscriber" waits for). */
  firstAttempt: Promise<AttemptResult>;
  /** The final outcome, after any retries. */
  settled: Promise<AttemptResult>;
}

export interface AsyncSetup {
  /** Runs the function (synchronously, as the async queue's poller does). */
  run: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** The function's resolved name and ARN, or undefined when it does not exist. */
  find: (nameOrArn: string) => { name: string; arn: string } | undefined;
  configs: Map<string, AsyncConfig>;
  scheduler: Scheduler;
  now: () => number;
  /** Sends a destination record (or, for a dead-letter queue, the event) to a destination ARN. */
  deliver: (destinationArn: string, payload: unknown) => Promise<void>;
  log: (line: string) => void;
}

const STOPPING = 'The local runtime is stopping';

export class AsyncLambda {
  /** Attempts queued or running. */
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly setup: AsyncSetup) {}

  /** Queues an event for the function; throws ResourceNotFoundException for an unknown function. */
  invoke(nameOrArn: string, payload: unknown): AsyncInvocation {
    const fn = this.setup.find(nameOrArn);
    if (!fn) {
      throw Object.assign(new Error(`Function not found: ${nameOrArn}`), {
        name: 'ResourceNotFoundException',
      });
    }
    const config = this.setup.configs.get(fn.name) ?? DEFAULT_ASYNC;
    const requestId = randomUUID();
    const enqueued = this.setup.now();
    // Lambda hands the function a deserialized copy of what was queued.
    const event = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
    let first: (r: AttemptResult) => void = () => {};
    let done: (r: AttemptResult) => void = () => {};
    const firstAttempt = new Promise<AttemptResult>((ok) => {
      first = ok;
    });
    const settled = new Promise<AttemptResult>((ok) => {
      done = ok;
    });

    let requeued = 0;
    const attempt = async (n: number): Promise<void> => {
      let result: AttemptResult;
      try {
        result = { ok: true, result: await this.setup.run(fn.arn, event) };
      } catch (e) {
        const err = e as Error;
        result = { ok: false, error: { errorType: err.name || 'Error', errorMessage: err.message } };
        const wait = Math.min(1000 * 2 ** requeued, 300_000);
        const expires = enqueued + config.maximumEventAgeSeconds * 1000;
        if (REQUEUED.has(err.name) && this.setup.now() + wait < expires) {
          requeued++;
          this.setup.scheduler.at(this.setup.now() + wait, () => this.track(() => attempt(n)));
          return;
        }
      }
      if (n === 1) first(result);
      if (result.ok) {
        done(result);
        if (config.onSuccess) {
          await this.send(config.onSuccess, this.record(fn.arn, requestId, event, n, 'Success', result));
        }
        return;
      }
      if (result.error?.errorMessage === STOPPING) return done(result);
      const delay = RETRY_DELAYS_MS[n - 1];
      const expires = enqueued + config.maximumEventAgeSeconds * 1000;
      // An attempt due when the event reaches its maximum age is not made: Lambda keeps an event for at
      // most that long (strictly before, so the outcome does not hang on the milliseconds spent so far).
      if (n <= config.maximumRetryAttempts && delay !== undefined && this.setup.now() + delay < expires) {
        this.setup.scheduler.at(this.setup.now() + delay, () => this.track(() => attempt(n + 1)));
        return;
      }
      done(result);
      const condition = n <= config.maximumRetryAttempts ? 'EventAgeExceeded' : 'RetriesExhausted';
      await this.fail(fn.arn, config, requestId, event, n, condition, result);
    };
    this.track(() => attempt(1));
    return { requestId, firstAttempt, settled };
  }

  private async fail(
    arn: string,
    config: AsyncConfig,
    requestId: string,
    event: unknown,
    attempts: number,
    condition: string,
    result: AttemptResult,
  ): Promise<void> {
    const why = `${result.error?.errorType}: ${result.error?.errorMessage}`;
    if (config.onFailure) {
      await this.send(config.onFailure, this.record(arn, requestId, event, attempts, condition, result));
    }
    if (config.deadLetter) await this.send(config.deadLetter, event);
    const sent = [config.onFailure, config.deadLetter].filter((d): d is string => d !== undefined);
    const where = sent.length > 0 ? `sent to ${sent.join(' and ')}` : 'event dropped';
    this.setup.log(
      `async invoke ${functionNameOf(arn)} (${requestId}): ${condition} after ${attempts} attempt(s), ${where}: ${why}`,
    );
  }

  /** The invocation record Lambda sends to a destination. */
  private record(
    functionArn: string,
    requestId: string,
    event: unknown,
    attempts: number,
    condition: string,
    result: AttemptResult,
  ) {
    return {
      version: '1.0',
      timestamp: new Date(this.setup.now()).toISOString(),
      requestContext: {
        requestId,
        functionArn: `${functionArn}:$LATEST`,
        condition,
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(result.ok ? {} : { functionError: 'Unhandled' }),
      },
      responsePayload: result.ok ? result.result : result.error,
    };
  }

  private async send(destination: string, payload: unknown): Promise<void> {
    try {
      await this.setup.deliver(destination, payload);
    } catch (e) {
      this.setup.log(`async invoke: could not deliver to ${destination}: ${(e as Error).message}`);
    }
  }

  /** Runs an attempt on the next turn, counted from now until it and its follow-up are done. */
  private track(work: () => Promise<void>): void {
    this.inflight++;
    setImmediate(() => {
      work()
        .catch((e: Error) => this.setup.log(`async invoke: ${e.stack ?? e.message}`))
        .finally(() => {
          this.inflight--;
          if (this.inflight === 0) for (const ok of this.idleWaiters.splice(0)) ok();
        });
    });
  }

  /** Resolves when no attempt is queued or running (retries still waiting on the clock do not count). */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((ok) => this.idleWaiters.push(ok));
  }
}
