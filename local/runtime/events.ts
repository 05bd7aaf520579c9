/**
 * EventBridge on the default bus, for the template's AWS::Events::Rule resources with an EventPattern:
 * an event (here: Step Functions' execution status changes) is matched against every enabled rule and
 * sent to each target of the rules it matches; an event no rule matches is dropped.
 *
 * A Lambda target is invoked asynchronously, as EventBridge does: once Lambda has queued the event,
 * EventBridge is done, and a function error is retried by Lambda (the function's EventInvokeConfig,
 * two retries by default), not by EventBridge. The target's RetryPolicy (default 185 attempts within
 * 24 h, exponential back-off with jitter) covers failures to deliver: a retryable error from the invoke
 * call. A delivery that cannot succeed (no such function, no AWS::Lambda::Permission for
 * events.amazonaws.com) is not retried. What is not delivered goes to the target's dead-letter queue,
 * which locally is a log line.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 */
import type { AsyncInvocation } from './async-invoke';
import { checkPattern, matchesPattern } from './event-pattern';
import { physicalName, ruleArn } from './names';
import type { InvokePermissions } from './permissions';
import { type ResolveContext, resolve } from './resolve';
import type { Scheduler } from './scheduler';
import { resourcesOfType } from './template';

export interface TargetSpec {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  deadLetter?: string;
}

export interface RuleSpec {
  name: string;
  arn: string;
  pattern: Record<string, unknown>;
  targets: TargetSpec[];
}

export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** The enabled pattern rules on the default bus; anything else the runtime cannot run is listed in `skipped`. */
export function ruleSpecs(ctx: ResolveContext): { rules: RuleSpec[]; skipped: string[] } {
  const rules: RuleSpec[] = [];
  const skipped: string[] = [];
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::Events::Rule')) {
    const p = resolve(ctx, r.Properties ?? {}) as Record<string, unknown>;
    const name = physicalName(ctx, id);
    if (p.State === 'DISABLED') continue;
    if (p.ScheduleExpression !== undefined) {
      skipped.push(`EventBridge rule ${name}: schedule ${String(p.ScheduleExpression)} is not run locally`);
      continue;
    }
    if (p.EventBusName !== undefined && p.EventBusName !== 'default') {
      skipped.push(`EventBridge rule ${name}: bus ${String(p.EventBusName)} is not emulated`);
      continue;
    }
    const pattern = (
      typeof p.EventPattern === 'string' ? JSON.parse(p.EventPattern) : p.EventPattern
    ) as Record<string, unknown>;
    checkPattern(pattern);
    const targets: TargetSpec[] = [];
    for (const t of (p.Targets ?? []) as Record<string, unknown>[]) {
      const retry = (t.RetryPolicy ?? {}) as {
        MaximumRetryAttempts?: number;
        MaximumEventAgeInSeconds?: number;
      };
      const dlq = (t.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
      if (t.InputTransformer !== undefined) {
        skipped.push(`EventBridge rule ${name}, target ${String(t.Id)}: InputTransformer is not emulated`);
        continue;
      }
      targets.push({
        id: String(t.Id),
        arn: String(t.Arn),
        ...(typeof t.Input === 'string' ? { input: t.Input } : {}),
        ...(typeof t.InputPath === 'string' ? { inputPath: t.InputPath } : {}),
        maximumRetryAttempts: retry.MaximumRetryAttempts ?? 185,
        maximumEventAgeSeconds: retry.MaximumEventAgeInSeconds ?? 86_400,
        ...(dlq ? { deadLetter: dlq } : {}),
      });
    }
    rules.push({ name, arn: ruleArn(name), pattern, targets });
  }
  return { rules, skipped };
}

export interface EventsSetup {
  /** Queues the event for a Lambda function (Lambda's async invoke); throws when it cannot be queued. */
  invokeAsync: (functionArn: string, event: unknown) => AsyncInvocation;
  /** Publishes to an SNS topic of the template (an SNS target). */
  publish?: (topicArn: string, message: string) => { deliveries: AsyncInvocation[] };
  permissions: InvokePermissions;
  scheduler: Scheduler;
  now: () => number;
  log: (line: string) => void;
}

/** Errors of the invoke call that EventBridge retries; anything else (not found, access denied) it does not. */
const RETRYABLE = new Set([
  'TooManyRequestsException',
  'ServiceException',
  'EC2ThrottledException',
  'ThrottlingException',
]);

export class LocalEvents {
  constructor(
    readonly rules: RuleSpec[],
    private readonly setup: EventsSetup,
  ) {}

  /**
   * Sends the event to the targets of every rule it matches. `delivered` resolves when the first
   * attempt of each function it reached has run: the caller may then forget the event.
   */
  put(event: EventBridgeEvent): { matched: string[]; delivered: Promise<void> } {
    const matched = this.rules.filter((r) => matchesPattern(r.pattern, event));
    const started: AsyncInvocation[] = [];
    for (const rule of matched) {
      for (const target of rule.targets)
        started.push(...this.deliver(rule, target, event, 1, this.setup.now()));
    }
    const delivered = Promise.all(started.map((s) => s.firstAttempt)).then(() => undefined);
    return { matched: matched.map((r) => r.name), delivered };
  }

  private deliver(
    rule: RuleSpec,
    target: TargetSpec,
    event: EventBridgeEvent,
    attempt: number,
    first: number,
  ): AsyncInvocation[] {
    const payload = target.input !== undefined ? JSON.parse(target.input) : select(event, target.inputPath);
    let error: Error;
    try {
      if (target.arn.startsWith('arn:aws:lambda:')) {
        if (!this.setup.permissions.allows(target.arn, 'events.amazonaws.com', rule.arn)) {
          const why = `no AWS::Lambda::Permission lets events.amazonaws.com invoke it from ${rule.name}`;
          throw failure('AccessDeniedException', why);
        }
        return [this.setup.invokeAsync(target.arn, payload)];
      } else if (target.arn.startsWith('arn:aws:sns:') && this.setup.publish) {
        return this.setup.publish(target.arn, JSON.stringify(payload)).deliveries;
      } else {
        throw failure('NotEmulated', 'target type not emulated locally');
      }
    } catch (e) {
      error = e as Error;
    }
    const delay = Math.min(2 ** (attempt - 1), 300) * 1000 * (0.5 + Math.random() / 2);
    const inTime = this.setup.now() + delay <= first + target.maximumEventAgeSeconds * 1000;
    if (RETRYABLE.has(error.name) && attempt <= target.maximumRetryAttempts && inTime) {
      const retry = () => void this.deliver(rule, target, event, attempt + 1, first);
      this.setup.scheduler.at(this.setup.now() + delay, retry);
      return [];
    }
    const where = target.deadLetter ? `sent to dead-letter queue ${target.deadLetter}` : 'dropped';
    this.setup.log(
      `EventBridge ${rule.name} -> ${target.arn}: ${error.name}: ${error.message}; event ${event.id} ${where}`,
    );
    return [];
  }
}

const failure = (name: string, message: string) => Object.assign(new Error(message), { name });

/** InputPath: a simple JSONPath ($ or $.a.b) into the event. */
function select(event: EventBridgeEvent, path: string | undefined): unknown {
  if (!path || path === '$') return event;
  let value: unknown = event;
  for (const key of path.replace(/^\$\.?/, '').split('.'))
    value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}
