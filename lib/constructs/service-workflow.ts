import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  type IChainable,
  LogLevel,
  Parallel,
  type State,
  StateMachine,
  StateMachineType,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Service } from '../../workflows/schema';
import { stageChains } from '../../workflows/stage-order';
import { backToRules } from './workflow/back-to';
import {
  backJumpThreshold,
  checkFits,
  DEFAULT_LIMITS,
  type ExecutionLimits,
  type StageBudget,
  stageBudgets,
} from './workflow/budget';
import { CONDITION_FAILED, enterStage } from './workflow/case-tasks';
import { continuation } from './workflow/continuation';
import { caseEndings, startState } from './workflow/endings';
import { acknowledgeServiceMachine } from './workflow/service-nag';
import { EXPIRED_ERROR, stepBranch } from './workflow/step-branch';

export interface ServiceWorkflowProps {
  readonly service: Service;
  readonly table: ITable;
  readonly openStep: IFunction;
  /** Re-arms a step's wait after an accepted proposal moved its schedule (steps that take proposals). */
  readonly retimeStep: IFunction;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  /** ERROR by default; ALL to follow every transition. */
  readonly logLevel?: LogLevel;
  /** Off by default: state input and output carry case data. */
  readonly includeExecutionData?: boolean;
  /**
   * What one execution may use before the case continues in a new one (default DEFAULT_LIMITS:
   * 360 days, 20,000 history events). Tests lower it to make a case continue.
   */
  readonly executionLimits?: ExecutionLimits;
}

/**
 * Compiles one service definition into a Standard state machine (see the runtime contracts). Per
 * stage: one guarded bookkeeping write, then a Parallel of callback steps, a branch per chain of
 * steps that open one after another (open-step logs the stage event), then a Choice when a step can
 * send the case back to an earlier stage; at the end one write. Every task retries transient errors (workflow/retry.ts) and otherwise fails the
 * execution. A back-jump that might take the execution past its limits continues the case in a
 * new execution instead (workflow/budget.ts, workflow/continuation.ts).
 */
export class ServiceWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly serviceId: string;
  /** The explicit state machine name `<stackName>-<serviceId>`, so ARNs are predictable. */
  readonly name: string;
  /** Per stage: what a visit adds to the execution's budget, and the way from it to the end. */
  readonly budgets: readonly StageBudget[];

  constructor(scope: Construct, id: string, props: ServiceWorkflowProps) {
    super(scope, id);
    const { service, table } = props;
    this.serviceId = service.id;
    const name = `${Stack.of(this).stackName}-${service.id}`;
    this.name = name;
    const limits = props.executionLimits ?? DEFAULT_LIMITS;

    const ended = new Succeed(this, 'Case no longer active', {
      comment: 'The case was cancelled or ended meanwhile; nothing left to do.',
    });
    const guard = { errors: [CONDITION_FAILED], resultPath: '$.error' };
    const { completed, expire } = caseEndings(this, table, ended);

    const rules = service.stages.map(backToRules);
    const last = service.stages.length - 1;
    // The last stage's Choice also sends a round's case to the write that counts it on the round.
    const choiceAfter = (i: number) => (rules[i]?.length ?? 0) > 0 || i === last;
    const budgets = stageBudgets(service, choiceAfter);
    this.budgets = budgets;
    const stages = service.stages.map((stage, i) => {
      const budget = budgets[i] as (typeof budgets)[number];
      const enter = enterStage(this, `Enter stage ${stage.id}`, table, stage.id, budget.visit);
      const parallel = new Parallel(this, `Stage ${stage.id}`, { resultPath: '$.last' });
      // One branch per chain of steps (workflows/stage-order.ts), built from its end: each step's
      // answer opens the next. Only the stage's first step logs the stage entry.
      for (const chain of stageChains(stage.steps)) {
        const branch = chain.reduceRight<IChainable | undefined>(
          (then, step) => stepBranch(this, service.id, stage.id, step, props, step === stage.steps[0], then),
          undefined,
        );
        if (branch) parallel.branch(branch);
      }
      parallel.addCatch(expire, { errors: [EXPIRED_ERROR], resultPath: '$.error' });
      enter.addCatch(ended, guard).next(parallel);
      return { stage, enter, parallel, budget };
    });
    const stageOf = (stageId: string) => {
      const found = stages.find((s) => s.stage.id === stageId);
      if (!found) throw new Error(`${service.id}: backTo names unknown stage '${stageId}'`);
      return found;
    };

    // One continuation path per back-jump target, shared by the Choices that jump there.
    const self = StateMachine.fromStateMachineName(this, 'Self', name);
    const continued = new Map<string, IChainable>();
    const continueAt = (stageId: string) => {
      let path = continued.get(stageId);
      if (!path) {
        path = continuation(this, stageId, { table, self, ended });
        continued.set(stageId, path);
      }
      return path;
    };

    stages.forEach(({ stage, parallel }, i) => {
      const next: State | undefined = stages[i + 1]?.enter;
      if (!choiceAfter(i)) {
        parallel.next(next ?? completed.plain);
        return;
      }
      const choice = new Choice(this, `After stage ${stage.id}`);
      for (const rule of rules[i] ?? []) {
        const target = stageOf(rule.targetStage);
        const threshold = backJumpThreshold(target.budget, limits);
        const tooLong = Condition.or(
          Condition.numberGreaterThan('$.entry.seconds', threshold.seconds),
          Condition.numberGreaterThan('$.entry.events', threshold.events),
        );
        choice.when(Condition.and(rule.condition, tooLong), continueAt(target.stage.id));
        choice.when(rule.condition, target.enter);
      }
      if (!next) choice.when(Condition.isPresent('$.roundId'), completed.round);
      parallel.next(choice.otherwise(next ?? completed.plain));
    });

    const first = stages[0];
    if (!first) throw new Error(`${service.id}: a service needs at least one stage`);
    // A reopened case (functions/domain/reopen.ts) starts a new execution at the definition's stage
    // with the same resumeAt input as a continuation.
    const resumes = new Set([...continued.keys(), ...(service.reopen ? [service.reopen.stage] : [])]);
    const starts = [first.stage.id, ...resumes];
    for (const stageId of starts) checkFits(service.id, stageOf(stageId).budget, limits);
    // Resuming at the first stage is starting: only later stages need the routing Choice.
    const later = [...resumes].filter((stageId) => stageId !== first.stage.id);
    const start = startState(
      this,
      later.map((stageId) => ({ stageId, enter: stageOf(stageId).enter })),
      first.enter,
    );

    const logs = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps CloudWatch's log resource policy from growing per machine.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: props.retention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      comment: `coproduce: ${service.title.en}`,
      definitionBody: DefinitionBody.fromChainable(start),
      tracingEnabled: true,
      logs: {
        destination: logs,
        level: props.logLevel ?? LogLevel.ERROR,
        includeExecutionData: props.includeExecutionData ?? false,
      },
    });
    const retimes = service.stages.some((stage) => stage.steps.some((step) => step.proposals));
    acknowledgeServiceMachine(this.stateMachine, props.logLevel ?? LogLevel.ERROR, {
      'open-step': props.openStep,
      ...(retimes && { 'retime-step': props.retimeStep }),
    });
  }
}
