import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import { CaseTable } from '../../../../lib/constructs/case-table';
import { ServiceWorkflow } from '../../../../lib/constructs/service-workflow';
import type { ExecutionLimits } from '../../../../lib/constructs/workflow/budget';
import type { Service } from '../../../../workflows/schema';
import { type Asl, type AslState, cdkContext, definitions } from '../../support';

// One service compiled alone in a small stack (its table and a stand-in open-step function), as the
// workflow tests read it.

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
/** A state with the fields the shared AslState leaves out. */
export type State = AslState & { Retry?: Retrier[]; ResultSelector?: Record<string, unknown> };

export interface Compiled {
  template: Template;
  asl: Asl;
  stack: Stack;
  workflow: ServiceWorkflow;
}

export function compileService(
  service: Service,
  options: { logLevel?: LogLevel; executionLimits?: ExecutionLimits; stackName?: string } = {},
): Compiled {
  const stackName = options.stackName ?? 'wf';
  const app = new App({ context: cdkContext() });
  const stack = new Stack(app, stackName, { stackName });
  const table = new CaseTable(stack, 'Cases', { protect: false });
  const openStep = new LambdaFunction(stack, 'OpenStep', {
    code: Code.fromInline('exports.handler = async () => {}'),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
  });
  const retimeStep = new LambdaFunction(stack, 'RetimeStep', {
    code: Code.fromInline('exports.handler = async () => {}'),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
  });
  const workflow = new ServiceWorkflow(stack, 'Workflow', {
    service,
    table: table.table,
    openStep,
    retimeStep,
    retention: RetentionDays.ONE_WEEK,
    logLevel: options.logLevel,
    executionLimits: options.executionLimits,
  });
  const template = Template.fromStack(stack);
  const asl = definitions(template).get(`${stackName}-${service.id}`);
  if (!asl) throw new Error('no state machine');
  return { template, asl, stack, workflow };
}

/** Every state of a definition with its name, branches' states included. */
export function allStates(asl: Pick<Asl, 'States'>): [string, State][] {
  return Object.entries(asl.States).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.Branches ?? []).flatMap((b) => allStates(b)),
  ]);
}

export function stateOf(asl: Asl, name: string): State {
  const found = allStates(asl).find(([n]) => n === name)?.[1];
  if (!found) throw new Error(`no state '${name}' (have ${Object.keys(asl.States).join(', ')})`);
  return found;
}
