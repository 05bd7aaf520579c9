import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Errors,
  Fail,
  ItemBatcher,
  JsonPath,
  LogLevel,
  ProcessorMode,
  ProcessorType,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, type LambdaInvokeProps } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RoundBucket } from './round-bucket';
import { LAMBDA_TRANSIENT, ROUND_BACKOFF, ROUND_FUNCTION_TRANSIENT, retryTransient } from './workflow/retry';
import { acknowledgeRoundMachine } from './workflow/round-nag';
import { ValidRowsReader } from './workflow/valid-rows-reader';

export interface RoundSettings {
  /** Batches (child executions) running at the same time (context roundMaxConcurrency, default 10). */
  readonly maxConcurrency?: number;
  /** Share of rows whose batch may fail before the round fails (roundToleratedFailurePercentage, 5). */
  readonly toleratedFailurePercentage?: number;
  /** Rows per batch, one round-start-cases invocation each (roundBatchSize, default 50). */
  readonly batchSize?: number;
}

export interface RoundWorkflowProps extends RoundSettings {
  readonly rounds: RoundBucket;
  readonly validate: IFunction;
  readonly startCases: IFunction;
  readonly finish: IFunction;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly logLevel?: LogLevel;
}

/** The ASL fields are integers (ToleratedFailurePercentage too, per the States Language schema). */
function checked(name: string, value: number, min: number, max: number): number {
  if (!(Number.isInteger(value) && value >= min && value <= max))
    throw new Error(`round ${name}: a whole number from ${min} to ${max} (${value})`);
  return value;
}

/**
 * The round state machine `<stackName>-round`, input `{ roundId, org, serviceId, onInvalid, attempt }`:
 * validate every row, then start one case per valid row with a Distributed Map reading valid.csv
 * (EXPRESS child executions, one batch each), then record the exact result. Any failure ends in
 * round-finish with the error, so the round never stays VALIDATING or STARTING.
 */
export class RoundWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /** The explicit name, so start-round can be given the ARN without a reference (see Handlers). */
  readonly name: string;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
  readonly batchSize: number;

  constructor(scope: Construct, id: string, props: RoundWorkflowProps) {
    super(scope, id);
    this.name = `${Stack.of(this).stackName}-round`;
    this.maxConcurrency = checked('maxConcurrency', props.maxConcurrency ?? 10, 1, 10_000);
    this.toleratedFailurePercentage = checked(
      'toleratedFailurePercentage',
      props.toleratedFailurePercentage ?? 5,
      0,
      100,
    );
    // A batch is one child execution's input (at most 256 KiB); a validated row stays under 2 KiB.
    this.batchSize = checked('batchSize', props.batchSize ?? 50, 1, 100);

    type Options = Pick<LambdaInvokeProps, 'payload' | 'resultPath' | 'resultSelector'>;
    const invoke = (name: string, fn: IFunction, options: Options = {}) => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        // The shared policy below replaces CDK's default Lambda retry.
        retryOnServiceExceptions: false,
        ...options,
      });
      // Short backoff: a batch runs in an EXPRESS child execution that ends after five minutes.
      return retryTransient(task, [...LAMBDA_TRANSIENT, ...ROUND_FUNCTION_TRANSIENT], ROUND_BACKOFF);
    };
    const roundId = { roundId: JsonPath.stringAt('$.roundId') };

    const failed = invoke('Record failure', props.finish, {
      payload: TaskInput.fromObject({ ...roundId, error: JsonPath.objectAt('$.error') }),
      resultPath: JsonPath.DISCARD,
    }).next(new Fail(this, 'Round failed', { error: 'Round.Failed', cause: 'see the round item' }));
    const onError = { errors: [Errors.ALL], resultPath: '$.error' };

    const validate = invoke('Validate rows', props.validate, {
      payload: TaskInput.fromObject(roundId),
      resultPath: '$.validation',
    });
    validate.addCatch(failed, onError);

    // The payload is the batch itself ({ BatchInput, Items }). An empty result keeps the Map's collected
    // output (one entry per batch, should it be assembled before ResultPath discards it) at 3 bytes a
    // batch: 60 KB for a million rows, under the 256 KiB state output limit. Progress is on the round item.
    const startBatch = invoke('Start batch', props.startCases, { resultSelector: {} });
    const map = new DistributedMap(this, 'Start cases', {
      itemReader: new ValidRowsReader(props.rounds),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: this.batchSize,
        // Rendered as given (CDK does not turn JsonPath tokens into `.$` keys here), so spelled out.
        batchInput: { 'roundId.$': '$.roundId', 'org.$': '$.org', 'serviceId.$': '$.serviceId' },
      }),
      maxConcurrency: this.maxConcurrency,
      toleratedFailurePercentage: this.toleratedFailurePercentage,
      mapExecutionType: StateMachineType.EXPRESS,
      resultPath: JsonPath.DISCARD,
    });
    // CDK requires an executionType here, then renders mapExecutionType (the same EXPRESS) and warns.
    map.itemProcessor(startBatch, { mode: ProcessorMode.DISTRIBUTED, executionType: ProcessorType.EXPRESS });
    Annotations.of(map).acknowledgeWarning(
      '@aws-cdk/aws-stepfunctions:propertyIgnored',
      'executionType is required by itemProcessor and equals mapExecutionType (EXPRESS).',
    );
    map.addCatch(failed, onError);

    const finish = invoke('Finish round', props.finish, {
      payload: TaskInput.fromObject(roundId),
      resultPath: JsonPath.DISCARD,
    });
    finish.addCatch(failed, onError);

    const definition = validate.next(
      new Choice(this, 'Any rows to start?')
        .when(
          Condition.booleanEquals('$.validation.proceed', true),
          map.next(finish.next(new Succeed(this, 'Round started'))),
        )
        .otherwise(new Succeed(this, 'Round not started')),
    );

    const logs = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${this.name}`,
      retention: props.retention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: this.name,
      stateMachineType: StateMachineType.STANDARD,
      comment: 'coproduce: start a round (one case per valid CSV row)',
      definitionBody: DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: {
        destination: logs,
        level: props.logLevel ?? LogLevel.ERROR,
        includeExecutionData: false,
      },
    });
    acknowledgeRoundMachine(this.stateMachine, props);
  }
}
