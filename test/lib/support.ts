import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CoproduceStack, type CoproduceStackProps } from '../../lib/coproduce-stack';
import { loadServices } from '../../workflows/load';

export const STACK_NAME = 'coproduce-test';

/** The feature flags of cdk.json, so the tests synthesise what `cdk synth` does. */
export function cdkContext(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return json.context;
}

export interface TestStack {
  app: App;
  stack: CoproduceStack;
  template: Template;
}

/** Twilio settings of a test stack (the local defaults of `npm start`). */
export const TWILIO = { accountSid: 'AC00000000000000000000000000000000', from: '+3197010000000' };

/**
 * The real stack with the real workflows folder; asset bundling skipped unless `bundle` is set.
 * `change` runs before the template is read (to prove a check fails on a changed stack).
 */
export function buildStack(
  props: Partial<CoproduceStackProps> = {},
  bundle = false,
  change?: (stack: CoproduceStack) => void,
): TestStack {
  const app = new App({ context: { ...cdkContext(), ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stack = new CoproduceStack(app, STACK_NAME, {
    stackName: STACK_NAME,
    services: props.services ?? loadServices(),
    protect: false,
    retentionDays: 365,
    logRetention: RetentionDays.ONE_YEAR,
    ...props,
  });
  change?.(stack);
  return { app, stack, template: Template.fromStack(stack) };
}

type Json = unknown;

/** Resolves CloudFormation intrinsics in a state machine definition with fake but well-formed values. */
export function resolveFake(value: Json): Json {
  if (Array.isArray(value)) return value.map(resolveFake);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, Json>;
  if ('Ref' in obj) {
    const ref = String(obj.Ref);
    return (
      { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' }[ref] ?? ref
    );
  }
  if ('Fn::GetAtt' in obj) {
    const [id] = obj['Fn::GetAtt'] as [string, string];
    return `arn:aws:lambda:eu-west-1:123456789012:function:${id}`;
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, Json[]];
    return parts.map((p) => String(resolveFake(p))).join(sep);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveFake(v)]));
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Resource?: string;
  ResultPath?: string | null;
  Parameters?: Record<string, unknown>;
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Choices?: Record<string, unknown>[];
  Branches?: { StartAt: string; States: Record<string, AslState> }[];
  Error?: string;
}
export interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

/** Every state machine definition of a template, by state machine name, with intrinsics resolved. */
export function definitions(template: Template): Map<string, Asl> {
  const out = new Map<string, Asl>();
  for (const r of Object.values(template.findResources('AWS::StepFunctions::StateMachine'))) {
    const props = r.Properties as { StateMachineName: string; DefinitionString: Json };
    out.set(props.StateMachineName, JSON.parse(String(resolveFake(props.DefinitionString))) as Asl);
  }
  return out;
}

/** The first dependency cycle among template resources (Ref, Fn::GetAtt, DependsOn), if any. */
export function findCycle(resources: Record<string, unknown>): string[] | undefined {
  const refs = (value: unknown, out: Set<string>): Set<string> => {
    if (Array.isArray(value)) for (const v of value) refs(v, out);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'Ref' && typeof v === 'string' && v in resources) out.add(v);
        else if (k === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string') out.add(v[0]);
        else refs(v, out);
      }
    }
    return out;
  };
  const edges = new Map(
    Object.entries(resources as Record<string, { Properties?: unknown; DependsOn?: string | string[] }>).map(
      ([id, r]) => [id, [...refs(r.Properties, new Set([r.DependsOn ?? []].flat()))]],
    ),
  );
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** aws-local-stepfunctions needs Promise.withResolvers, which Node 20 lacks. */
export function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
}

/** asl-validator (CommonJS, no bundled types): validates a States Language definition. */
export const validateAsl = createRequire(__filename)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
};
