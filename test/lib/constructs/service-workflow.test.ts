import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { CaseTable } from '../../../lib/constructs/case-table';
import { ServiceWorkflow } from '../../../lib/constructs/service-workflow';
import type { Service } from '../../../workflows/schema';
import { sampleService } from '../fixtures';
import { type Asl, type AslState, cdkContext, definitions, validateAsl } from '../support';

const DAY = 86_400;

function compile(service: Service = sampleService(), logLevel?: LogLevel) {
  const app = new App({ context: cdkContext() });
  const stack = new Stack(app, 'wf', { stackName: 'wf' });
  const table = new CaseTable(stack, 'Cases', { protect: false });
  const openStep = new LambdaFunction(stack, 'OpenStep', {
    code: Code.fromInline('exports.handler = async () => {}'),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
  });
  new ServiceWorkflow(stack, 'Workflow', {
    service,
    table: table.table,
    openStep,
    retention: RetentionDays.ONE_WEEK,
    logLevel,
  });
  const template = Template.fromStack(stack);
  const asl = definitions(template).get(`wf-${service.id}`);
  if (!asl) throw new Error('no state machine');
  return { template, asl, stack };
}

// The default fixture compiles once; the tests only read it.
let cached: ReturnType<typeof compile> | undefined;
const compiled = () => {
  cached ??= compile();
  return cached;
};

const state = (asl: Asl, name: string): AslState => {
  const s = asl.States[name];
  if (!s) throw new Error(`no state '${name}' (have ${Object.keys(asl.States).join(', ')})`);
  return s;
};

const parallel = (asl: Asl, stageId: string) => state(asl, `Stage ${stageId}`);

/** The states of the branch that starts with `Step <stepId> invite`. */
function branch(asl: Asl, stageId: string, stepId: string): Record<string, AslState> {
  const b = parallel(asl, stageId).Branches?.find((x) => x.StartAt === `Step ${stepId} invite`);
  if (!b) throw new Error(`no branch for ${stepId}`);
  return b.States;
}

describe('ServiceWorkflow compiler', () => {
  it('names the machine <stackName>-<serviceId> and passes asl-validator', () => {
    const { asl } = compiled();
    const result = validateAsl(asl);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    // and the validator does reject a broken machine (StartAt names no state)
    expect(validateAsl({ ...asl, StartAt: 'Nowhere' }).isValid).toBe(false);
  });

  it('enters each stage with the guarded bookkeeping update, then logs the event, then runs the Parallel', () => {
    const { asl } = compiled();
    expect(asl.StartAt).toBe('Enter stage report');
    const enter = state(asl, 'Enter stage report');
    expect(enter.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect(enter.Parameters).toMatchObject({
      Key: { pk: { 'S.$': "States.Format('CASE#{}', $.caseId)" }, sk: { S: 'CASE' } },
      UpdateExpression: expect.stringMatching(/^SET #stage = :stage, #updatedAt = :now.* ADD #visits :one$/),
      ConditionExpression: '#status = :active',
      ExpressionAttributeValues: expect.objectContaining({
        ':stage': { S: 'report' },
        ':active': { S: 'ACTIVE' },
      }),
      ReturnValues: 'UPDATED_NEW',
    });
    expect(enter.ResultPath).toBe('$.entry');
    expect(enter.Catch).toEqual([
      {
        ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
        ResultPath: '$.error',
        Next: 'Case no longer active',
      },
    ]);
    expect(state(asl, 'Case no longer active').Type).toBe('Succeed');
    expect(enter.Next).toBe('Log stage report');
    const log = state(asl, 'Log stage report');
    expect(log.Resource).toBe('arn:aws:states:::dynamodb:putItem');
    expect(log.Parameters?.Item).toMatchObject({
      sk: { 'S.$': "States.Format('EVENT#{}#stage-report', $$.State.EnteredTime)" },
      type: { S: 'STAGE_ENTERED' },
    });
    expect(log.Next).toBe('Stage report');
  });

  it('makes one Parallel branch per step with its results in $.last', () => {
    const { asl } = compiled();
    const report = parallel(asl, 'report');
    expect(report.Type).toBe('Parallel');
    expect(report.ResultPath).toBe('$.last');
    expect(report.Branches?.map((b) => b.StartAt)).toEqual([
      'Step describe invite',
      'Step acknowledge invite',
    ]);
    expect(parallel(asl, 'plan').Branches?.map((b) => b.StartAt)).toEqual([
      'Step propose invite',
      'Step agree invite',
    ]);
  });

  it('splits a step into callback segments with TimeoutSeconds, each timeout opening the next one', () => {
    const { asl } = compiled();
    const states = branch(asl, 'report', 'describe');
    const chain = [
      'Step describe invite',
      'Step describe reminder 1',
      'Step describe reminder 2',
      'Step describe escalation',
    ];
    expect(chain.map((n) => states[n]?.TimeoutSeconds)).toEqual([2 * DAY, 2 * DAY, 3 * DAY, 7 * DAY]);
    chain.forEach((name, i) => {
      const task = states[name];
      expect(task?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(task?.End).toBe(true);
      expect(task?.Catch).toEqual([
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: chain[i + 1] ?? 'Step describe expired' },
      ]);
    });
    expect(states['Step describe expired']).toMatchObject({ Type: 'Fail', Error: 'Case.Expired' });
  });

  it('invokes open-step with the payload of the runtime contract', () => {
    const { asl } = compiled();
    const task = branch(asl, 'plan', 'propose')['Step propose reminder 1'];
    expect(task?.Parameters).toEqual({
      FunctionName: expect.stringMatching(/^arn:aws:lambda:.*OpenStep/),
      Payload: {
        'caseId.$': '$.caseId',
        serviceId: 'repair-request',
        stageId: 'plan',
        stepId: 'propose',
        notice: 'reminder',
        'visit.$': '$.entry.visit',
        'taskToken.$': '$$.Task.Token',
        'enteredAt.$': '$$.State.EnteredTime',
      },
    });
    expect(branch(asl, 'plan', 'propose')['Step propose escalation']?.Parameters).toMatchObject({
      Payload: { notice: 'escalation' },
    });
  });

  it('marks the case EXPIRED when a branch fails with Case.Expired, guarded by status = ACTIVE', () => {
    const { asl } = compiled();
    for (const stageId of ['report', 'plan']) {
      expect(parallel(asl, stageId).Catch).toEqual([
        { ErrorEquals: ['Case.Expired'], ResultPath: '$.error', Next: 'Mark case expired' },
      ]);
    }
    const expire = state(asl, 'Mark case expired');
    expect(expire.Parameters).toMatchObject({
      ConditionExpression: '#status = :active',
      ExpressionAttributeValues: expect.objectContaining({
        ':status': { S: 'EXPIRED' },
        ':gsi2sk': { 'S.$': "States.Format('EXPIRED#{}#{}', $.createdAt, $.caseId)" },
      }),
    });
    expect(expire.Next).toBe('Round case expired?');
    expect(state(asl, 'Case expired').Type).toBe('Succeed');
  });

  it('compiles backTo into a Choice after the stage that loops to the target stage', () => {
    const { asl } = compiled();
    expect(parallel(asl, 'report').Next).toBe('Enter stage plan');
    expect(parallel(asl, 'plan').Next).toBe('After stage plan');
    const choice = state(asl, 'After stage plan');
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices).toEqual([
      {
        And: [
          { Variable: '$.last[1].data.agreed', IsPresent: true },
          { Variable: '$.last[1].data.agreed', BooleanEquals: false },
        ],
        Next: 'Enter stage report',
      },
    ]);
    expect(choice.Default).toBe('Mark case completed');
  });

  it('uses string and number comparisons for backTo values of those types', () => {
    const base = sampleService();
    const [report, plan] = base.stages;
    if (!report || !plan) throw new Error('fixture');
    const service: Service = {
      ...base,
      stages: [
        report,
        {
          ...plan,
          steps: plan.steps.map((s, i) =>
            i === 0
              ? { ...s, backTo: { stage: 'report', when: { field: 'plan', equals: 'redo' } } }
              : { ...s, backTo: { stage: 'report', when: { field: 'agreed', equals: 0 } } },
          ),
        },
      ],
    };
    const choices = state(compile(service).asl, 'After stage plan').Choices;
    expect(choices).toEqual([
      {
        And: [
          { Variable: '$.last[0].data.plan', IsPresent: true },
          { Variable: '$.last[0].data.plan', StringEquals: 'redo' },
        ],
        Next: 'Enter stage report',
      },
      {
        And: [
          { Variable: '$.last[1].data.agreed', IsPresent: true },
          { Variable: '$.last[1].data.agreed', NumericEquals: 0 },
        ],
        Next: 'Enter stage report',
      },
    ]);
  });

  it('completes the case with status COMPLETED and gsi2sk via States.Format', () => {
    const { asl } = compiled();
    const complete = state(asl, 'Mark case completed');
    expect(complete.Parameters).toMatchObject({
      UpdateExpression: 'SET #status = :status, #updatedAt = :now, #gsi2sk = :gsi2sk',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: expect.objectContaining({ '#gsi2sk': 'gsi2sk' }),
      ExpressionAttributeValues: expect.objectContaining({
        ':status': { S: 'COMPLETED' },
        ':gsi2sk': { 'S.$': "States.Format('COMPLETED#{}#{}', $.createdAt, $.caseId)" },
      }),
    });
    expect(complete.Catch?.[0]?.Next).toBe('Case no longer active');
    expect(complete.Next).toBe('Round case completed?');
    expect(state(asl, 'Case completed').Type).toBe('Succeed');
  });

  it.each([
    ['completed', 'Case completed'],
    ['expired', 'Case expired'],
  ])('counts a round case %s on its round item, and never fails the case over it', (counter, end) => {
    const { asl } = compiled();
    const choice = state(asl, `Round case ${counter}?`);
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices).toEqual([
      { Variable: '$.roundId', IsPresent: true, Next: `Count round ${counter}` },
    ]);
    expect(choice.Default).toBe(end);
    const count = state(asl, `Count round ${counter}`);
    expect(count.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect(count.Parameters).toEqual({
      TableName: expect.any(String),
      Key: { pk: { 'S.$': "States.Format('ROUND#{}', $.roundId)" }, sk: { S: 'ROUND' } },
      UpdateExpression: 'ADD #counter :one',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#counter': counter, '#pk': 'pk' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
    });
    expect(count.ResultPath).toBeNull();
    // round gone (condition), throttled after the retries, anything: the case still ends well
    expect(count.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: end }]);
    expect(count.Next).toBe(end);
    expect(state(asl, end).Type).toBe('Succeed');
  });

  it('keeps every state name within the 80 characters Step Functions allows', () => {
    const long = 'a'.repeat(39);
    const base = sampleService();
    const service: Service = {
      ...base,
      stages: base.stages.map((st, i) => ({
        ...st,
        id: `${long}${i}`,
        steps: st.steps.map((s, j) => ({ ...s, id: `${long.slice(0, 38)}${i}${j}`, backTo: undefined })),
      })),
    };
    const { asl } = compile(service);
    const names = [
      ...Object.keys(asl.States),
      ...Object.values(asl.States).flatMap((s) => (s.Branches ?? []).flatMap((b) => Object.keys(b.States))),
    ];
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(80);
    expect(validateAsl(asl).isValid).toBe(true);
  });

  it('traces with X-Ray and logs ERROR without execution data by default, ALL on request', () => {
    const logging = (level?: LogLevel) =>
      compile(sampleService(), level).template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'wf-repair-request',
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: level === LogLevel.ALL ? 'ALL' : 'ERROR',
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
        },
      });
    logging();
    logging(LogLevel.ALL);
  });

  it('gives the role only UpdateItem/PutItem on the table and invoke on open-step (plus logs and X-Ray)', () => {
    const { template, stack } = compiled();
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (p) =>
        (
          p.Properties as {
            PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
          }
        ).PolicyDocument.Statement,
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    const allowed = /^(dynamodb:(UpdateItem|PutItem)|lambda:InvokeFunction|logs:[A-Za-z]+|xray:[A-Za-z]+)$/;
    expect(actions.filter((a) => !allowed.test(a))).toEqual([]);
    const cases = stack.node.findChild('Cases') as CaseTable;
    const tableId = stack.getLogicalId(cases.table.node.defaultChild as CfnTable);
    const dynamo = statements.filter((x) => String(x.Action).startsWith('dynamodb:'));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const s of dynamo) {
      // arn:...:table/<this table>, never an index, another table or a wildcard
      expect(JSON.stringify(s.Resource)).toMatch(new RegExp(`":table/",\\{"Ref":"${tableId}"\\}\\]`));
      expect(JSON.stringify(s.Resource)).not.toContain('*');
    }
    const invoke = statements.find((s) => s.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).toContain('OpenStep');
    expect(JSON.stringify(invoke?.Resource)).not.toMatch(/"\*"/);
  });
});
