import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  JsonPath,
  LogLevel,
  Parallel,
  type State,
  StateMachine,
  StateMachineType,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Service } from '../../workflows/schema';
import { backToRules } from './workflow/back-to';
import { CONDITION_FAILED, countRoundEnd, enterStage, finishCase, stageEvent } from './workflow/case-tasks';
import { EXPIRED_ERROR, stepBranch } from './workflow/step-branch';

export interface ServiceWorkflowProps {
  readonly service: Service;
  readonly table: ITable;
  readonly openStep: IFunction;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  /** ERROR by default; ALL to follow every transition. */
  readonly logLevel?: LogLevel;
  /** Off by default: state input and output carry case data. */
  readonly includeExecutionData?: boolean;
}

/**
 * Compiles one service definition into a Standard state machine (see the runtime contracts):
 * per stage a guarded bookkeeping update, a STAGE_ENTERED event and a Parallel of callback steps,
 * followed by a Choice when a step can send the case back to an earlier stage.
 */
export class ServiceWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly serviceId: string;
  /** The explicit state machine name `<stackName>-<serviceId>`, so ARNs are predictable. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceWorkflowProps) {
    super(scope, id);
    const { service, table } = props;
    this.serviceId = service.id;
    const name = `${Stack.of(this).stackName}-${service.id}`;
    this.name = name;

    const ended = new Succeed(this, 'Case no longer active', {
      comment: 'The case was cancelled or ended meanwhile; nothing left to do.',
    });
    const guard = { errors: [CONDITION_FAILED], resultPath: '$.error' };
    const complete = finishCase(this, 'Mark case completed', table, 'COMPLETED');
    complete.addCatch(ended, guard).next(this.roundCounter('completed', table, 'Case completed'));
    const expire = finishCase(this, 'Mark case expired', table, 'EXPIRED');
    expire.addCatch(ended, guard).next(this.roundCounter('expired', table, 'Case expired'));

    const stages = service.stages.map((stage) => {
      const enter = enterStage(this, `Enter stage ${stage.id}`, table, stage.id);
      const parallel = new Parallel(this, `Stage ${stage.id}`, { resultPath: '$.last' });
      for (const step of stage.steps) {
        parallel.branch(stepBranch(this, service.id, stage.id, step, props.openStep));
      }
      parallel.addCatch(expire, { errors: [EXPIRED_ERROR], resultPath: '$.error' });
      enter
        .addCatch(ended, guard)
        .next(stageEvent(this, `Log stage ${stage.id}`, table, stage.id))
        .next(parallel);
      return { stage, enter, parallel };
    });

    stages.forEach(({ stage, parallel }, i) => {
      const next: State = stages[i + 1]?.enter ?? complete;
      const rules = backToRules(stage);
      if (rules.length === 0) {
        parallel.next(next);
        return;
      }
      const choice = new Choice(this, `After stage ${stage.id}`);
      for (const rule of rules) {
        const target = stages.find((s) => s.stage.id === rule.targetStage);
        if (!target) throw new Error(`${service.id}: backTo names unknown stage '${rule.targetStage}'`);
        choice.when(rule.condition, target.enter);
      }
      parallel.next(choice.otherwise(next));
    });

    const start = stages[0]?.enter;
    if (!start) throw new Error(`${service.id}: a service needs at least one stage`);
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
    this.acknowledge(props.logLevel ?? LogLevel.ERROR, props.openStep);
  }

  /**
   * A case started by a round (`roundId` in the execution input) counts its end on the round item.
   * The case has ended whatever happens here: a failed count (round gone, throttled after retries)
   * is caught and the execution still succeeds.
   */
  private roundCounter(counter: 'completed' | 'expired', table: ITable, endName: string): State {
    const end = new Succeed(this, endName);
    const count = countRoundEnd(this, `Count round ${counter}`, table, counter);
    count.addRetry({
      errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException'],
    });
    count.addCatch(end, { errors: [Errors.ALL], resultPath: JsonPath.DISCARD }).next(end);
    return new Choice(this, `Round case ${counter}?`)
      .when(Condition.isPresent('$.roundId'), count)
      .otherwise(end);
  }

  private acknowledge(level: LogLevel, openStepFn: IFunction): void {
    const role = Validations.of(this.stateMachine.role);
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Vended log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, ...) and X-Ray tracing support no resource-level permissions.',
    });
    const openStep = Stack.of(this).getLogicalId(openStepFn.node.defaultChild as CfnElement);
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${openStep}.Arn>:*]`,
      reason:
        'The open-step function and its versions/aliases (added by the LambdaInvoke task), no other function.',
    });
    if (level !== LogLevel.ALL) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason:
          'Errors are logged by default; context logLevel=ALL turns on every event (execution data stays excluded because it holds case data).',
      });
    }
  }
}
