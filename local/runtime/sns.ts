/**
 * SNS: the template's topics and their subscriptions. `Publish` is served on the local AWS endpoint
 * in the query protocol the SDK speaks to SNS (form-encoded Action=Publish, XML answers), and a
 * published message goes to every Lambda subscription as the SNS event AWS builds, invoked
 * asynchronously (Lambda's async retries apply). Limits as SNS: at most 256 KB (message and attributes),
 * a subject of at most 100 printable characters, MessageStructure=json needs a "default".
 * The wire protocol is in sns-query.ts, the message and event shapes in sns-message.ts.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 */
import { randomUUID } from 'node:crypto';
import type { AsyncInvocation } from './async-invoke';
import { checkPattern, matchesPattern } from './event-pattern';
import { physicalName, stableUuid, topicArn } from './names';
import type { InvokePermissions } from './permissions';
import { type ResolveContext, resolve } from './resolve';
import {
  filterSubject,
  type MessageAttribute,
  payloadBytes,
  SnsError,
  type SubscriptionSpec,
  snsEvent,
  structured,
} from './sns-message';
import { resourcesOfType } from './template';

export interface TopicSpec {
  logicalId: string;
  name: string;
  arn: string;
  subscriptions: SubscriptionSpec[];
}

export function topicSpecs(ctx: ResolveContext): TopicSpec[] {
  const topics = resourcesOfType(ctx.template, 'AWS::SNS::Topic').map(([id, r]): TopicSpec => {
    const name = physicalName(ctx, id);
    const arn = topicArn(name);
    const inline = (
      resolve(ctx, r.Properties?.Subscription ?? []) as { Protocol: string; Endpoint: string }[]
    ).map((s, i) => subscription(arn, `${id}/${i}`, { Protocol: s.Protocol, Endpoint: s.Endpoint }));
    return { logicalId: id, name, arn, subscriptions: inline };
  });
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::SNS::Subscription')) {
    const p = resolve(ctx, r.Properties ?? {}) as Record<string, unknown>;
    const topic = topics.find((t) => t.arn === p.TopicArn);
    if (!topic) throw new Error(`SNS subscription ${id}: topic ${String(p.TopicArn)} is not in the template`);
    topic.subscriptions.push(subscription(topic.arn, id, p));
  }
  return topics;
}

function subscription(topic: string, id: string, p: Record<string, unknown>): SubscriptionSpec {
  const policy = typeof p.FilterPolicy === 'string' ? JSON.parse(p.FilterPolicy) : p.FilterPolicy;
  const redrive = (typeof p.RedrivePolicy === 'string' ? JSON.parse(p.RedrivePolicy) : p.RedrivePolicy) as
    | { deadLetterTargetArn?: unknown }
    | undefined;
  if (policy !== undefined) checkPattern(policy);
  return {
    arn: `${topic}:${stableUuid(`${topic}/${id}`)}`,
    protocol: String(p.Protocol).toLowerCase(),
    endpoint: String(p.Endpoint),
    ...(policy !== undefined ? { filterPolicy: policy as Record<string, unknown> } : {}),
    ...(typeof redrive?.deadLetterTargetArn === 'string' ? { deadLetter: redrive.deadLetterTargetArn } : {}),
    filterPolicyScope: p.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
  };
}

export interface PublishInput {
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttribute>;
}

const MAX_BYTES = 262_144;

export interface SnsSetup {
  invokeAsync: (functionArn: string, event: unknown) => AsyncInvocation;
  permissions: InvokePermissions;
  now: () => number;
  log: (line: string) => void;
}

export class LocalSns {
  constructor(
    readonly topics: TopicSpec[],
    private readonly setup: SnsSetup,
  ) {}

  /** The topic a Lambda function (by ARN) subscribes to, if any. */
  topicSubscribedBy(functionArn: string): TopicSpec | undefined {
    return this.topics.find((t) =>
      t.subscriptions.some((s) => s.protocol === 'lambda' && s.endpoint === functionArn),
    );
  }

  /** Publishes a message; returns its id and the Lambda deliveries it started. Throws SnsError as SNS would. */
  publish(input: PublishInput): { messageId: string; deliveries: AsyncInvocation[] } {
    if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: PhoneNumber (SMS through SNS is not emulated locally)',
      );
    }
    const arn = input.TopicArn ?? input.TargetArn;
    if (!arn)
      throw new SnsError(
        'InvalidParameter',
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    const topic = this.topics.find((t) => t.arn === arn);
    if (!topic) throw new SnsError('NotFound', 'Topic does not exist', 404);
    const message = input.Message ?? '';
    if (message.length === 0) throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
    const attributes = input.MessageAttributes ?? {};
    if (payloadBytes(message, attributes) > MAX_BYTES)
      throw new SnsError('InvalidParameter', 'Invalid parameter: Message too long');
    if (input.Subject !== undefined && !/^[\x20-\x7e]{1,100}$/.test(input.Subject))
      throw new SnsError('InvalidParameter', 'Invalid parameter: Subject');
    const perProtocol = input.MessageStructure === 'json' ? structured(message) : undefined;
    const messageId = randomUUID();
    const deliveries: AsyncInvocation[] = [];
    for (const sub of topic.subscriptions) {
      if (sub.protocol !== 'lambda') {
        this.setup.log(`SNS ${topic.name}: ${sub.protocol} subscription not emulated locally; not delivered`);
        continue;
      }
      const body = perProtocol ? ((perProtocol.lambda ?? perProtocol.default) as string) : message;
      if (sub.filterPolicy && !matchesPattern(sub.filterPolicy, filterSubject(sub, body, attributes)))
        continue;
      // A client-side error: SNS does not retry it, and moves the message to the subscription's DLQ if any.
      const undelivered = (why: string) =>
        this.setup.log(
          `SNS ${topic.name}: ${why}; ${sub.deadLetter ? `sent to dead-letter queue ${sub.deadLetter}` : 'not delivered'}`,
        );
      if (!this.setup.permissions.allows(sub.endpoint, 'sns.amazonaws.com', topic.arn)) {
        undelivered(`no AWS::Lambda::Permission lets sns.amazonaws.com invoke ${sub.endpoint}`);
        continue;
      }
      const event = snsEvent(
        topic.arn,
        sub.arn,
        messageId,
        body,
        input.Subject,
        attributes,
        this.setup.now(),
      );
      try {
        deliveries.push(this.setup.invokeAsync(sub.endpoint, event));
      } catch (e) {
        undelivered(`delivery to ${sub.endpoint} failed: ${(e as Error).message}`);
      }
    }
    return { messageId, deliveries };
  }
}
