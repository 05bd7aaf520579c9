import { Match } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { continuationName, FORMAT_ARG, keys } from '../../../functions/adapters/table-keys';
import { OPEN_STEP_FIELDS } from '../../../functions/domain/open-step-payload';
import { SecretReadError } from '../../../functions/shared/secrets';
import type { CaseTable } from '../../../lib/constructs/case-table';
import { DEFAULT_LIMITS } from '../../../lib/constructs/workflow/budget';
import type { Service } from '../../../workflows/schema';
import { sampleService } from '../fixtures';
import { type Asl, buildStack, definitions, STACK_NAME, validateAsl } from '../support';
import { allStates, compileService, type State, stateOf } from './workflow/compile';
import { chainedService, threeStageService } from './workflow/services';

const DAY = 86_400;
// The key formats the state machine must use, from the one definition in table-keys.ts.
const CASE_PK = `States.Format('${keys.case(FORMAT_ARG).pk}', $.caseId)`;

// The default fixture compiles once; the tests only read it.
let cached: ReturnType<typeof compileService> | undefined;
const compiled = () => {
  cached ??= compileService(sampleService());
  return cached;
};
const state = (asl: Asl, name: string): State => stateOf(asl, name);
const parallel = (asl: Asl, stageId: string) => state(asl, `Stage ${stageId}`);

/** The states of the branch that starts with `Step <stepId> invite`. */
function branch(asl: Asl, stageId: string, stepId: string): Record<string, State> {
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

  it('enters a stage with one guarded write that keys the case as table-keys does, then runs the Parallel', () => {
    const { asl } = compiled();
    // The only back-jump target is the first stage: resuming there is starting, no routing Choice.
    expect(asl.StartAt).toBe('Enter stage report');
    const enter = state(asl, 'Enter stage report');
    expect(enter.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect(enter.Parameters).toMatchObject({
      Key: { pk: { 'S.$': CASE_PK }, sk: { S: keys.case(FORMAT_ARG).sk } },
      UpdateExpression:
        'SET #stage = :stage, #updatedAt = :now ADD #visits :one, #seconds :seconds, #events :events',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: expect.objectContaining({
        '#visits': 'visits',
        '#seconds': 'budgetSeconds',
        '#events': 'budgetEvents',
      }),
      ExpressionAttributeValues: expect.objectContaining({
        ':stage': { S: 'report' },
        ':now': { 'S.$': '$$.State.EnteredTime' },
        ':active': { S: 'ACTIVE' },
        ':seconds': { N: expect.stringMatching(/^[1-9]\d*$/) },
        ':events': { N: expect.stringMatching(/^[1-9]\d*$/) },
      }),
      ReturnValues: 'UPDATED_NEW',
    });
    expect(enter.ResultSelector).toEqual({
      'visit.$': '$.Attributes.visits.N',
      'at.$': '$.Attributes.updatedAt.S',
      'seconds.$': 'States.StringToJson($.Attributes.budgetSeconds.N)',
      'events.$': 'States.StringToJson($.Attributes.budgetEvents.N)',
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
    // No separate event-log state: open-step writes STAGE_ENTERED.
    expect(enter.Next).toBe('Stage report');
    expect(allStates(asl).filter(([, s]) => s.Resource === 'arn:aws:states:::dynamodb:putItem')).toEqual([
      ['Log continuation at stage report', expect.anything()],
    ]);
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

  it('runs a step that opens after another in the same branch: every end of the first one opens it', () => {
    const { asl } = compileService(chainedService());
    const plan = parallel(asl, 'plan');
    // One branch for the stage's one chain; $.last[0] is the answer that ends it, the agreement's.
    expect(plan.Branches?.map((b) => b.StartAt)).toEqual(['Step propose invite']);
    const states = plan.Branches?.[0]?.States ?? {};
    const proposeWaits = Object.keys(states).filter(
      (name) => name.startsWith('Step propose') && states[name]?.Resource?.endsWith('.waitForTaskToken'),
    );
    expect(proposeWaits.sort()).toEqual([
      'Step propose escalation',
      'Step propose invite',
      'Step propose rearmed',
      'Step propose reminder 1',
    ]);
    for (const name of proposeWaits) {
      // The answer is dropped (the branch input, caseId and entry, goes on) and the agreement opens.
      expect(states[name], name).toMatchObject({ ResultPath: null, Next: 'Step agree invite' });
      expect(states[name]?.End, name).toBeUndefined();
    }
    for (const name of ['Step agree invite', 'Step agree escalation']) {
      expect(states[name]?.End, name).toBe(true);
      expect(states[name]?.ResultPath, name).toBeUndefined();
    }
    // The agreement's payload reads the case and the visit from the input the proposal passed on.
    expect(states['Step agree invite']?.Parameters?.Payload).toMatchObject({
      'caseId.$': '$.caseId',
      'visit.$': '$.entry.visit',
      stepId: 'agree',
    });
    const choice = state(asl, 'After stage plan');
    expect(JSON.stringify(choice.Choices)).toContain('$.last[0].data.agreed');
    expect(JSON.stringify(choice.Choices)).not.toContain('$.last[1]');
    expect(validateAsl(asl).errors).toEqual([]);
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
      // The wait's timeout is the reminder mechanism: never retried.
      expect(task?.Retry?.flatMap((r) => r.ErrorEquals)).not.toContain('States.Timeout');
    });
    expect(states['Step describe expired']).toMatchObject({ Type: 'Fail', Error: 'Case.Expired' });
  });

  it('invokes open-step with every field of the payload contract, the stage entry time included', () => {
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
        'stageEnteredAt.$': '$.entry.at',
        // The definition's own schedule (an accepted proposal re-arms with its shift: retime-loop.ts).
        shiftSeconds: 0,
      },
    });
    const fields = Object.keys(task?.Parameters?.Payload as object).map((k) => k.replace(/\.\$$/, ''));
    expect(fields.sort()).toEqual([...OPEN_STEP_FIELDS].sort());
  });

  it("hands the stage entry time to the stage's first step only, so one invocation logs STAGE_ENTERED", () => {
    const { asl } = compiled();
    const payloads = (stageId: string, stepId: string) =>
      Object.entries(branch(asl, stageId, stepId))
        .filter(
          ([name, task]) => name.startsWith(`Step ${stepId} `) && /waitForTaskToken/.test(`${task.Resource}`),
        )
        .map(([, task]) => task.Parameters?.Payload as Record<string, unknown>);
    for (const [stageId, first, other] of [
      ['report', 'describe', 'acknowledge'],
      ['plan', 'propose', 'agree'],
    ] as const) {
      const firsts = payloads(stageId, first);
      const others = payloads(stageId, other);
      expect(firsts.length).toBeGreaterThan(0);
      expect(others.length).toBeGreaterThan(0);
      for (const payload of firsts) expect(payload['stageEnteredAt.$']).toBe('$.entry.at');
      for (const payload of others) {
        expect(payload).not.toHaveProperty('stageEnteredAt.$');
        expect(payload).toMatchObject({ stepId: other, 'visit.$': '$.entry.visit' });
      }
    }
  });

  it('expires the case when a branch fails with Case.Expired: one write, counted on the round for a round case', () => {
    const { asl } = compiled();
    for (const stageId of ['report', 'plan']) {
      expect(parallel(asl, stageId).Catch).toEqual([
        { ErrorEquals: ['Case.Expired'], ResultPath: '$.error', Next: 'Round case expired?' },
      ]);
    }
    expect(state(asl, 'Round case expired?')).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.roundId', IsPresent: true, Next: 'Mark round case expired' }],
      Default: 'Mark case expired',
    });
    const index = keys.serviceIndex(FORMAT_ARG, FORMAT_ARG, 'EXPIRED', FORMAT_ARG, FORMAT_ARG).gsi2sk;
    for (const name of ['Mark case expired', 'Mark round case expired']) {
      expect(state(asl, name).Parameters).toMatchObject({
        ConditionExpression: '#status = :active',
        ExpressionAttributeValues: expect.objectContaining({
          ':status': { S: 'EXPIRED' },
          ':gsi2sk': { 'S.$': `States.Format('${index}', $.createdAt, $.caseId)` },
        }),
      });
    }
    expect(state(asl, 'Mark case expired').End).toBe(true);
    expect(state(asl, 'Mark round case expired').Next).toBe('Count round expired');
  });

  it('compiles backTo into a Choice: continue in a new execution when the budget is spent, else loop back', () => {
    const { asl, workflow } = compiled();
    expect(parallel(asl, 'report').Next).toBe('Enter stage plan');
    expect(parallel(asl, 'plan').Next).toBe('After stage plan');
    const choice = state(asl, 'After stage plan');
    const rejected = {
      And: [
        { Variable: '$.last[1].data.agreed', IsPresent: true },
        { Variable: '$.last[1].data.agreed', BooleanEquals: false },
      ],
    };
    const [report] = workflow.budgets;
    const overhead = { seconds: 0, events: 4 }; // ExecutionStarted, its end, the resume Choice
    expect(choice.Choices).toEqual([
      {
        And: [
          rejected,
          {
            Or: [
              {
                Variable: '$.entry.seconds',
                NumericGreaterThan:
                  DEFAULT_LIMITS.seconds - overhead.seconds - (report?.forward.seconds ?? 0),
              },
              {
                Variable: '$.entry.events',
                NumericGreaterThan: DEFAULT_LIMITS.events - overhead.events - (report?.forward.events ?? 0),
              },
            ],
          },
        ],
        Next: 'Continue at stage report',
      },
      { ...rejected, Next: 'Enter stage report' },
      { Variable: '$.roundId', IsPresent: true, Next: 'Mark round case completed' },
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
    const choices = state(compileService(service).asl, 'After stage plan').Choices ?? [];
    const inPlace = choices.filter((c) => c.Next === 'Enter stage report');
    expect(inPlace).toEqual([
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
    // each preceded by its continuation rule
    expect(choices.map((c) => c.Next)).toEqual([
      'Continue at stage report',
      'Enter stage report',
      'Continue at stage report',
      'Enter stage report',
      'Mark round case completed',
    ]);
  });

  it('completes the case with one write (COMPLETED, gsi2sk in the format of table-keys)', () => {
    const { asl } = compiled();
    const index = keys.serviceIndex(FORMAT_ARG, FORMAT_ARG, 'COMPLETED', FORMAT_ARG, FORMAT_ARG).gsi2sk;
    const complete = state(asl, 'Mark case completed');
    expect(complete.Parameters).toMatchObject({
      Key: { pk: { 'S.$': CASE_PK } },
      UpdateExpression: 'SET #status = :status, #updatedAt = :now, #gsi2sk = :gsi2sk',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: expect.objectContaining({ '#gsi2sk': 'gsi2sk' }),
      ExpressionAttributeValues: expect.objectContaining({
        ':status': { S: 'COMPLETED' },
        ':gsi2sk': { 'S.$': `States.Format('${index}', $.createdAt, $.caseId)` },
      }),
    });
    expect(complete.Catch?.[0]?.Next).toBe('Case no longer active');
    expect(complete.End).toBe(true);
    expect(state(asl, 'Mark round case completed').Next).toBe('Count round completed');
  });

  it.each(['completed', 'expired'])(
    'counts a round case %s on its round item; only a round item gone ends quietly',
    (counter) => {
      const { asl } = compiled();
      const count = state(asl, `Count round ${counter}`);
      expect(count.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
      expect(count.Parameters).toEqual({
        TableName: expect.any(String),
        Key: {
          pk: { 'S.$': `States.Format('${keys.round(FORMAT_ARG).pk}', $.roundId)` },
          sk: { S: keys.round(FORMAT_ARG).sk },
        },
        UpdateExpression: 'ADD #counter :one',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#counter': counter, '#pk': 'pk' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
      });
      expect(count.ResultPath).toBeNull();
      expect(count.Catch).toEqual([
        {
          ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'],
          ResultPath: null,
          Next: 'Round no longer there',
        },
      ]);
      expect(count.End).toBe(true);
      expect(state(asl, 'Round no longer there').Type).toBe('Succeed');
    },
  );

  it('continues in a new execution: reset the budget, log CASE_CONTINUED, start <caseId>-<n> at the stage, switch to it', () => {
    const { asl } = compiled();
    const reset = state(asl, 'Continue at stage report');
    expect(reset.Parameters).toMatchObject({
      Key: { pk: { 'S.$': CASE_PK } },
      UpdateExpression: 'SET #seconds = :zero, #events = :zero, #ttl = #ttl ADD #continuations :one',
      ConditionExpression: '#status = :active',
    });
    const n = 'States.MathAdd(States.StringToJson($.Attributes.continuations.N), 1)';
    expect(reset.ResultSelector).toEqual({
      'n.$': n,
      'ttl.$': '$.Attributes.ttl.N',
      input: { resumeAt: 'report', 'continuation.$': n },
    });
    expect(reset.Catch?.[0]?.Next).toBe('Case no longer active');
    expect(reset.Next).toBe('Log continuation at stage report');

    const name = `States.Format('${continuationName(FORMAT_ARG, FORMAT_ARG)}', $.caseId, $.continued.n)`;
    const log = state(asl, 'Log continuation at stage report');
    const eventKey = keys.event(FORMAT_ARG, FORMAT_ARG, 'continued-{}').sk;
    expect(log.Parameters?.Item).toMatchObject({
      pk: { 'S.$': CASE_PK },
      sk: { 'S.$': `States.Format('${eventKey}', $$.State.EnteredTime, $.continued.n)` },
      type: { S: 'CASE_CONTINUED' },
      actor: { S: 'system' },
      detail: { M: { from: { 'S.$': '$$.Execution.Name' }, to: { 'S.$': name }, stageId: { S: 'report' } } },
      ttl: { 'N.$': '$.continued.ttl' },
    });
    expect(log.Next).toBe('Start continuation at stage report');

    const start = state(asl, 'Start continuation at stage report');
    expect(start.Resource).toBe('arn:aws:states:::states:startExecution');
    expect(start.Parameters).toEqual({
      StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:wf-repair-request',
      'Name.$': name,
      'Input.$': 'States.JsonMerge($$.Execution.Input, $.continued.input, false)',
    });
    // Started already (a lost answer): go on to make it current.
    expect(start.Catch).toEqual([
      {
        ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'],
        ResultPath: '$.error',
        Next: 'Switch to continuation at stage report',
      },
    ]);
    const switched = state(asl, 'Switch to continuation at stage report');
    expect(switched.Parameters).toMatchObject({
      UpdateExpression: 'SET #execution = :execution',
      ExpressionAttributeNames: { '#execution': 'execution', '#status': 'status' },
      ExpressionAttributeValues: expect.objectContaining({ ':execution': { 'S.$': name } }),
    });
    expect(switched.End).toBe(true);
  });

  it('routes a continued execution to its stage by resumeAt when the target is not the first stage', () => {
    const { asl } = compileService(threeStageService());
    expect(asl.StartAt).toBe('Resume at stage?');
    expect(state(asl, 'Resume at stage?')).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.resumeAt', IsPresent: true },
            { Variable: '$.resumeAt', StringEquals: 'plan' },
          ],
          Next: 'Enter stage plan',
        },
      ],
      Default: 'Enter stage report',
    });
    expect(validateAsl(asl).errors).toEqual([]);
  });

  it('refuses at synth a service whose way from a stage to the end cannot fit the execution limits', () => {
    expect(() =>
      compileService(sampleService(), { executionLimits: { seconds: 20 * DAY, events: 20_000 } }),
    ).toThrow(
      /repair-request: from stage 'report' to the end a case may take up to \d+ days and \d+ history events, more than one execution allows \(20 days, 20000 events\)/,
    );
  });

  it('keeps every state name within the 80 characters Step Functions allows', () => {
    const long = 'a'.repeat(39);
    const base = sampleService();
    const service: Service = {
      ...base,
      stages: base.stages.map((st, i) => ({
        ...st,
        id: `${long}${i}`,
        steps: st.steps.map((s, j) => ({
          ...s,
          id: `${long.slice(0, 38)}${i}${j}`,
          backTo: s.backTo && { ...s.backTo, stage: `${long}0` },
        })),
      })),
    };
    const { asl } = compileService(service);
    const names = allStates(asl).map(([n]) => n);
    expect(names).toContain(`Switch to continuation at stage ${long}0`);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(80);
    expect(validateAsl(asl).isValid).toBe(true);
  });

  it('traces with X-Ray and logs ERROR without execution data by default, ALL on request', () => {
    const logging = (level?: LogLevel) =>
      compileService(sampleService(), { logLevel: level }).template.hasResourceProperties(
        'AWS::StepFunctions::StateMachine',
        {
          StateMachineName: 'wf-repair-request',
          StateMachineType: 'STANDARD',
          TracingConfiguration: { Enabled: true },
          LoggingConfiguration: {
            Level: level === LogLevel.ALL ? 'ALL' : 'ERROR',
            IncludeExecutionData: false,
            Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
          },
        },
      );
    logging();
    logging(LogLevel.ALL);
  });

  it('gives the role UpdateItem/PutItem on the table, invoke on open-step and StartExecution on itself only', () => {
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
    const allowed =
      /^(dynamodb:(UpdateItem|PutItem)|lambda:InvokeFunction|states:StartExecution|logs:[A-Za-z]+|xray:[A-Za-z]+)$/;
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
    // Its own ARN, built from the explicit name (a reference to itself would be a cycle).
    const start = statements.find((s) => s.Action === 'states:StartExecution');
    expect(JSON.stringify(start?.Resource)).toMatch(/:stateMachine:wf-repair-request"\]\]\}$/);
  });
});

describe('every state machine of the stack', () => {
  // The real stack (the three services and the round machine), as `cdk synth` makes it.
  let machines: Map<string, Asl> | undefined;
  const all = () => {
    machines ??= definitions(buildStack().template);
    return machines;
  };
  /** Every state, the states of Parallel branches and Map item processors included. */
  const everyState = (asl: Pick<Asl, 'States'>): [string, State][] =>
    Object.entries(asl.States as Record<string, State & { ItemProcessor?: Pick<Asl, 'States'> }>).flatMap(
      ([name, s]) => [
        [name, s] as [string, State],
        ...(s.Branches ?? []).flatMap(everyState),
        ...(s.ItemProcessor ? everyState(s.ItemProcessor) : []),
      ],
    );
  // The names the issue lists; Lambda.Unknown is how an out-of-memory or crashed function surfaces.
  const LAMBDA = [
    'Lambda.TooManyRequestsException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.Unknown',
  ];
  const DYNAMODB = [
    'DynamoDB.SdkClientException',
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.ThrottlingException',
    'DynamoDB.InternalServerErrorException',
    'DynamoDB.RequestLimitExceeded',
  ];

  it('holds the three services and the round machine, each accepted by asl-validator', () => {
    expect([...all().keys()].sort()).toEqual(
      ['care-plan', 'child-development', 'round', 'waste-collection'].map((n) => `${STACK_NAME}-${n}`),
    );
    for (const asl of all().values()) expect(validateAsl(asl).errors).toEqual([]);
  });

  it('retries throttling and transient errors on every Task, with exponential backoff, a cap and full jitter', () => {
    let tasks = 0;
    for (const [machine, asl] of all()) {
      for (const [name, s] of everyState(asl)) {
        if (s.Type !== 'Task') continue;
        tasks++;
        const where = `${machine} / ${name}`;
        const retried = (s.Retry ?? []).filter((r) => (r.MaxAttempts ?? 3) > 0);
        const errors = retried.flatMap((r) => r.ErrorEquals);
        const resource = String(s.Resource);
        if (resource.includes(':dynamodb:')) expect(errors, where).toEqual(expect.arrayContaining(DYNAMODB));
        else if (resource.includes(':states:::states:startExecution'))
          expect(errors, where).toEqual(['States.TaskFailed']);
        else expect(errors, where).toEqual(expect.arrayContaining(LAMBDA));
        expect(errors, where).not.toContain('States.Timeout');
        expect(errors, where).not.toContain('States.ALL');
        for (const r of retried) {
          expect(r.BackoffRate, where).toBeGreaterThan(1);
          expect(r.JitterStrategy, where).toBe('FULL');
          expect(r.MaxDelaySeconds, where).toBeGreaterThan(0);
        }
      }
    }
    expect(tasks).toBeGreaterThan(100);
  });

  it("retries open-step's own transient failures, never its deliberate ones", () => {
    const asl = all().get(`${STACK_NAME}-waste-collection`) as Asl;
    const invite = everyState(asl).find(([n]) => n === 'Step present invite')?.[1];
    const errors = (invite?.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(errors).toEqual(
      expect.arrayContaining([
        'Sandbox.Timedout',
        'ThrottlingException',
        'ProvisionedThroughputExceededException',
      ]),
    );
    // A PII key not read (Secrets Manager throttled) fails the invocation with the error's own name.
    expect(errors).toContain(new SecretReadError('arn:x', 'ThrottlingException').name);
    expect(errors.filter((e) => e.startsWith('OpenStep.'))).toEqual([]);
  });

  it('catches no failure into a Fail state in the service machines: retries exhausted fail the execution where it is', () => {
    const quiet = new Set([
      'States.Timeout', // the next wait segment (reminder, escalation) or the step's expiry
      'Case.Expired', // the case ends EXPIRED
      'DynamoDB.ConditionalCheckFailedException', // the case was cancelled or ended meanwhile
      'StepFunctions.ExecutionAlreadyExistsException', // the continuation started already
      'Step.Retimed', // an accepted proposal moved the step's schedule: the wait is re-armed
    ]);
    for (const [machine, asl] of all()) {
      if (machine.endsWith('-round')) continue;
      const states = everyState(asl);
      const byName = new Map(states);
      for (const [name, s] of states) {
        for (const c of s.Catch ?? []) {
          expect(
            c.ErrorEquals.filter((e) => !quiet.has(e)),
            `${machine} / ${name}`,
          ).toEqual([]);
          // Only a step's last wait ends in a Fail state (Case.Expired), never a caught error.
          if (byName.get(c.Next)?.Type === 'Fail') expect(c.ErrorEquals).toEqual(['States.Timeout']);
        }
      }
      for (const [name, s] of states.filter(([, x]) => x.Type === 'Fail')) {
        expect(s.Error, `${machine} / ${name}`).toBe('Case.Expired');
      }
    }
  });
});
