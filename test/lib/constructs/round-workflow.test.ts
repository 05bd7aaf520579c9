import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { RoundBucket } from '../../../lib/constructs/round-bucket';
import { type RoundSettings, RoundWorkflow } from '../../../lib/constructs/round-workflow';
import { type AslState, cdkContext, resolveFake, validateAsl } from '../support';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

interface MapState extends AslState {
  ItemProcessor: {
    ProcessorConfig: Record<string, string>;
    StartAt: string;
    States: Record<string, AslState>;
  };
  ItemReader: Record<string, unknown>;
  ItemBatcher: Record<string, unknown>;
  MaxConcurrency: number;
  ToleratedFailurePercentage?: number;
  ResultSelector?: unknown;
}
interface RoundAsl {
  StartAt: string;
  States: Record<string, AslState & Partial<MapState>>;
}

function compile(settings: RoundSettings = {}, logLevel?: LogLevel) {
  const app = new App({ context: cdkContext() });
  const stack = new Stack(app, 'rw', { stackName: 'rw' });
  const rounds = new RoundBucket(stack, 'Rounds', { protect: false, accessLogDays: 30 });
  const fn = (id: string) =>
    new LambdaFunction(stack, id, {
      code: Code.fromInline('exports.handler = async () => {}'),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
    });
  const [validate, startCases, finish] = [fn('Validate'), fn('StartCases'), fn('Finish')];
  const workflow = new RoundWorkflow(stack, 'Round', {
    ...settings,
    rounds,
    validate,
    startCases,
    finish,
    retention: RetentionDays.ONE_WEEK,
    logLevel,
  });
  const template = Template.fromStack(stack);
  const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
  // The definition is a Fn::Join of strings and ARNs: resolved to plain JSON, then parsed.
  const asl = JSON.parse(String(resolveFake(machine?.Properties.DefinitionString))) as RoundAsl;
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as CfnElement);
  const ids = {
    bucket: id(rounds.bucket),
    machine: id(workflow.stateMachine),
    validate: id(validate),
    startCases: id(startCases),
    finish: id(finish),
  };
  return { template, asl, ids, workflow, stack };
}

let cached: ReturnType<typeof compile> | undefined;
const compiled = () => {
  cached ??= compile();
  return cached;
};
const state = (asl: RoundAsl, name: string) => {
  const s = asl.States[name];
  if (!s) throw new Error(`no state '${name}' (have ${Object.keys(asl.States).join(', ')})`);
  return s;
};
const fnArn = (id: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${id}`;

describe('RoundWorkflow', () => {
  it('is a Standard machine <stackName>-round that passes asl-validator, without synth warnings', () => {
    const { asl, template, stack } = compiled();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'rw-round',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/rw-round',
      RetentionInDays: 7,
    });
    expect(validateAsl(asl).errors).toEqual([]);
    // the validator does look into the Distributed Map: an unknown processor mode is rejected
    const map = state(asl, 'Start cases') as MapState;
    const broken = {
      ...asl,
      States: {
        ...asl.States,
        'Start cases': {
          ...map,
          ItemProcessor: { ...map.ItemProcessor, ProcessorConfig: { Mode: 'SIDEWAYS' } },
        },
      },
    };
    expect(validateAsl(broken).isValid).toBe(false);
  });

  it('validates the rows first, with the result at $.validation, and records any failure', () => {
    const { asl, ids } = compiled();
    expect(asl.StartAt).toBe('Validate rows');
    const validate = state(asl, 'Validate rows');
    expect(validate).toMatchObject({
      Type: 'Task',
      Resource: fnArn(ids.validate),
      Parameters: { 'roundId.$': '$.roundId' },
      ResultPath: '$.validation',
      Next: 'Any rows to start?',
    });
    expect(validate.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record failure' },
    ]);
    const choice = state(asl, 'Any rows to start?');
    expect(choice.Choices).toEqual([
      { Variable: '$.validation.proceed', BooleanEquals: true, Next: 'Start cases' },
    ]);
    expect(choice.Default).toBe('Round not started');
    expect(state(asl, 'Round not started').Type).toBe('Succeed');
  });

  it('starts the cases with a Distributed Map reading valid.csv of the round, in batches of EXPRESS children', () => {
    const { asl, ids } = compiled();
    const map = state(asl, 'Start cases') as MapState;
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
      Parameters: { Bucket: ids.bucket, 'Key.$': "States.Format('rounds/{}/valid.csv', $.roundId)" },
    });
    expect(map.ItemBatcher).toEqual({
      MaxItemsPerBatch: 50,
      BatchInput: { 'roundId.$': '$.roundId', 'org.$': '$.org', 'serviceId.$': '$.serviceId' },
    });
    expect(map.MaxConcurrency).toBe(10);
    expect(map.ToleratedFailurePercentage).toBe(5);
    expect(map.ResultPath).toBeNull();
    expect(map.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record failure' },
    ]);
    expect(map.Next).toBe('Finish round');

    const batch = map.ItemProcessor.States[map.ItemProcessor.StartAt] as AslState & {
      ResultSelector?: unknown;
    };
    expect(map.ItemProcessor.StartAt).toBe('Start batch');
    expect(batch.Resource).toBe(fnArn(ids.startCases));
    expect(batch.Parameters).toBeUndefined(); // the payload is the batch: { BatchInput, Items }
    expect(batch.End).toBe(true);
    expect(batch.ResultSelector).toEqual({});
    type Retrier = {
      ErrorEquals: string[];
      BackoffRate?: number;
      JitterStrategy?: string;
      MaxDelaySeconds?: number;
    };
    const retried = (batch as { Retry?: Retrier[] }).Retry ?? [];
    const errors = retried.flatMap((r) => r.ErrorEquals);
    expect(errors).toEqual(
      expect.arrayContaining([
        'Lambda.TooManyRequestsException',
        'Lambda.ServiceException',
        'ThrottlingException',
      ]),
    );
    for (const r of retried) {
      expect(r.BackoffRate).toBe(2);
      expect(r.JitterStrategy).toBe('FULL');
      // An EXPRESS child ends after five minutes: the waits between tries stay short.
      expect(r.MaxDelaySeconds).toBeLessThanOrEqual(30);
    }
  });

  it('takes MaxConcurrency, tolerated failure percentage and batch size from its settings', () => {
    const { asl } = compile({ maxConcurrency: 3, toleratedFailurePercentage: 12, batchSize: 20 });
    const map = state(asl, 'Start cases') as MapState;
    expect(map.MaxConcurrency).toBe(3);
    expect(map.ToleratedFailurePercentage).toBe(12);
    expect(map.ItemBatcher.MaxItemsPerBatch).toBe(20);
    expect(validateAsl(asl).errors).toEqual([]);
  });

  it.each([
    [{ maxConcurrency: 0 }, /maxConcurrency/],
    [{ maxConcurrency: 2.5 }, /maxConcurrency/],
    [{ toleratedFailurePercentage: 101 }, /toleratedFailurePercentage/],
    [{ toleratedFailurePercentage: 2.5 }, /toleratedFailurePercentage/],
    [{ batchSize: 101 }, /batchSize/],
  ])('rejects the setting %o at synth time', (settings, message) => {
    expect(() => compile(settings)).toThrow(message);
  });

  it('finishes the round, and on failure records the error on the round before failing', () => {
    const { asl, ids } = compiled();
    expect(state(asl, 'Finish round')).toMatchObject({
      Resource: fnArn(ids.finish),
      Parameters: { 'roundId.$': '$.roundId' },
      ResultPath: null,
      Next: 'Round started',
    });
    expect(state(asl, 'Finish round').Catch?.[0]?.Next).toBe('Record failure');
    expect(state(asl, 'Round started').Type).toBe('Succeed');
    expect(state(asl, 'Record failure')).toMatchObject({
      Resource: fnArn(ids.finish),
      Parameters: { 'roundId.$': '$.roundId', 'error.$': '$.error' },
      Next: 'Round failed',
    });
    expect(state(asl, 'Round failed')).toMatchObject({ Type: 'Fail', Error: 'Round.Failed' });
  });

  it('gives the role exactly: invoke of the three functions, valid.csv reads, its own child executions', () => {
    const { template, ids } = compiled();
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );
    const byAction = (action: string) =>
      statements.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    const allowed =
      /^(lambda:InvokeFunction|s3:GetObject|states:(StartExecution|DescribeExecution|StopExecution|RedriveExecution)|logs:[A-Za-z]+|xray:[A-Za-z]+)$/;
    expect(actions.filter((a) => !allowed.test(a))).toEqual([]);

    const invoke = JSON.stringify(byAction('lambda:InvokeFunction').map((s) => s.Resource));
    for (const id of [ids.validate, ids.startCases, ids.finish]) expect(invoke).toContain(`"${id}"`);
    expect(invoke).not.toMatch(/"\*"/);

    expect(byAction('s3:GetObject').map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/rounds/*/valid.csv']] },
    ]);
    expect(byAction('states:StartExecution').map((s) => s.Resource)).toEqual([{ Ref: ids.machine }]);
    for (const action of ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution']) {
      const text = JSON.stringify(byAction(action).map((s) => s.Resource));
      expect(text, action).toContain(`{"Ref":"${ids.machine}"}`);
      expect(text, action).toContain(':execution:');
    }
  });

  it('logs every event when asked, still without execution data (batches hold personal data)', () => {
    compile({}, LogLevel.ALL).template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });
});
