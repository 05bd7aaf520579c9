/**
 * How the template's services reach the functions without a caller waiting: Lambda's asynchronous
 * invocation (with its retries and destinations), SNS topics and their subscriptions, EventBridge
 * rules. Wired here, once, for the runtime.
 */
import { AsyncLambda, asyncConfigs } from './async-invoke';
import { LocalEvents, ruleSpecs } from './events';
import type { FunctionSpec, LocalLambda } from './lambda';
import { InvokePermissions } from './permissions';
import type { ResolveContext } from './resolve';
import { Scheduler } from './scheduler';
import { LocalSns, topicSpecs } from './sns';

export interface Messaging {
  scheduler: Scheduler;
  asyncLambda: AsyncLambda;
  sns: LocalSns;
  events: LocalEvents;
}

export function messaging(p: {
  ctx: ResolveContext;
  functions: FunctionSpec[];
  lambda: LocalLambda;
  now: () => number;
  log: (line: string) => void;
}): Messaging {
  const { ctx, lambda, now, log } = p;
  const scheduler = new Scheduler(now);
  const permissions = InvokePermissions.fromTemplate(ctx);
  let sns: LocalSns | undefined;
  const asyncLambda: AsyncLambda = new AsyncLambda({
    run: (arn, payload) => lambda.invoke(arn, payload, true),
    find: (nameOrArn) => lambda.find(nameOrArn),
    configs: asyncConfigs(ctx, p.functions),
    scheduler,
    now,
    // A destination (or dead-letter target) in the template: a function or a topic; anything else is logged.
    deliver: async (arn, payload) => {
      if (lambda.find(arn)) asyncLambda.invoke(arn, payload);
      else if (arn.startsWith('arn:aws:sns:') && sns)
        sns.publish({ TopicArn: arn, Message: JSON.stringify(payload) });
      else log(`async invoke: destination ${arn} is not emulated; the record is dropped`);
    },
    log,
  });
  const topics = new LocalSns(topicSpecs(ctx), {
    invokeAsync: (arn, event) => asyncLambda.invoke(arn, event),
    permissions,
    now,
    log,
  });
  sns = topics;
  const { rules, skipped } = ruleSpecs(ctx);
  for (const line of skipped) log(line);
  const events = new LocalEvents(rules, {
    invokeAsync: (arn, event) => asyncLambda.invoke(arn, event),
    publish: (arn, text) => topics.publish({ TopicArn: arn, Message: text }),
    permissions,
    scheduler,
    now,
    log,
  });
  return { scheduler, asyncLambda, sns: topics, events };
}
