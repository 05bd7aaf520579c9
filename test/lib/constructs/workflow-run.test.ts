import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseTable } from '../../../lib/constructs/case-table';
import { ServiceWorkflow } from '../../../lib/constructs/service-workflow';
import { sampleService } from '../fixtures';
import { type Asl, cdkContext, definitions, polyfillWithResolvers } from '../support';

// Runs the compiled machine on aws-local-stepfunctions (a peer States Language implementation) with
// every Task replaced by a local handler, to check the control flow the compiler produces.

type Handler = (input: Record<string, unknown>) => Promise<unknown>;
type Call = { state: string; input: Record<string, unknown> };

let asl: Asl;
beforeAll(() => {
  polyfillWithResolvers();
  const app = new App({ context: cdkContext() });
  const stack = new Stack(app, 'run', { stackName: 'run' });
  const table = new CaseTable(stack, 'Cases', { protect: false });
  const openStep = new LambdaFunction(stack, 'OpenStep', {
    code: Code.fromInline('exports.handler = async () => {}'),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
  });
  const service = sampleService();
  new ServiceWorkflow(stack, 'Workflow', {
    service,
    table: table.table,
    openStep,
    retention: RetentionDays.ONE_WEEK,
  });
  const found = definitions(Template.fromStack(stack)).get(`run-${service.id}`);
  if (!found) throw new Error('no machine');
  asl = found;
});

const timeout = () => Object.assign(new Error('timed out'), { name: 'States.Timeout' });
const submission = (stepId: string, data: Record<string, unknown>) => ({
  stepId,
  actor: 'citizen',
  channel: 'web',
  submittedAt: '2026-01-01T00:00:00Z',
  data,
});

async function run(
  answers: Record<string, (call: number) => Promise<unknown>>,
  guardFails = false,
  round?: { roundId: string; countFails?: boolean },
) {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  let visits = 0;
  const record =
    (state: string, fn: Handler): Handler =>
    async (input) => {
      calls.push({ state, input });
      return fn(input);
    };
  const handlers: Record<string, Handler> = {};
  const all = (states: Asl['States']): void => {
    for (const [name, s] of Object.entries(states)) {
      if (s.Type === 'Task') {
        handlers[name] = record(name, async () => {
          if (name.startsWith('Enter stage')) {
            if (guardFails)
              throw Object.assign(new Error('guard'), { name: 'DynamoDB.ConditionalCheckFailedException' });
            visits += 1;
            return { Attributes: { visits: { N: String(visits) }, ttl: { N: '1900000000' } } };
          }
          if (name.startsWith('Count round') && round?.countFails)
            throw Object.assign(new Error('gone'), { name: 'DynamoDB.ConditionalCheckFailedException' });
          if (name.startsWith('Step ')) {
            const n = (counts.get(name) ?? 0) + 1;
            counts.set(name, n);
            const answer = answers[name];
            if (!answer) return new Promise(() => {}); // waits forever: no answer for this segment
            return answer(n);
          }
          return {};
        });
      }
      for (const b of s.Branches ?? []) all(b.States);
    }
  };
  all(asl.States);
  const machine = new StateMachine(asl as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(
    {
      caseId: 'c-1',
      serviceId: 'repair-request',
      org: 'org-1',
      createdAt: '2026-01-01T00:00:00Z',
      ...(round && { roundId: round.roundId }),
    },
    {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: {} },
      context: { Task: { Token: 'token-1' }, State: { EnteredTime: '2026-01-02T00:00:00Z' } } as never,
    },
  );
  const output = await execution.result;
  return { output, calls, states: calls.map((c) => c.state) };
}

const ok =
  (stepId: string, data: Record<string, unknown> = { x: 'y' }) =>
  async () =>
    submission(stepId, data);

describe('compiled workflow on a peer ASL engine', () => {
  it('goes back to the earlier stage when the answer says so, with a higher visit, then completes', async () => {
    const { states, calls, output } = await run({
      'Step describe invite': ok('describe'),
      'Step acknowledge invite': ok('acknowledge'),
      'Step propose invite': ok('propose'),
      'Step agree invite': async (n) => submission('agree', { agreed: n > 1 }),
    });
    expect(states.filter((s) => s.startsWith('Enter stage'))).toEqual([
      'Enter stage report',
      'Enter stage plan',
      'Enter stage report',
      'Enter stage plan',
    ]);
    expect(states.at(-1)).toBe('Mark case completed');
    const payloads = calls
      .filter((c) => c.state === 'Step describe invite')
      .map((c) => (c.input as { Payload: Record<string, unknown> }).Payload);
    expect(payloads.map((p) => p.visit)).toEqual(['1', '3']);
    expect(payloads[0]).toEqual({
      caseId: 'c-1',
      serviceId: 'repair-request',
      stageId: 'report',
      stepId: 'describe',
      notice: 'invite',
      visit: '1',
      taskToken: 'token-1',
      enteredAt: expect.any(String),
    });
    expect((output as { last: { stepId: string }[] }).last.map((s) => s.stepId)).toEqual([
      'propose',
      'agree',
    ]);
  });

  it('moves through reminder and escalation segments on timeouts, and expires the case after the last', async () => {
    const { states } = await run({
      'Step describe invite': ok('describe'),
      'Step acknowledge invite': async () => Promise.reject(timeout()),
      'Step acknowledge escalation': async () => Promise.reject(timeout()),
    });
    const segments = states.filter((s) => s.startsWith('Step acknowledge'));
    expect(segments).toEqual(['Step acknowledge invite', 'Step acknowledge escalation']);
    expect(states.at(-1)).toBe('Mark case expired');
    expect(states).not.toContain('Enter stage plan');
  });

  it('counts the end of a round case on its round, and only for round cases', async () => {
    const answers = {
      'Step describe invite': ok('describe'),
      'Step acknowledge invite': ok('acknowledge'),
      'Step propose invite': ok('propose'),
      'Step agree invite': ok('agree', { agreed: true }),
    };
    const plain = await run(answers);
    expect(plain.states.at(-1)).toBe('Mark case completed');
    const counted = await run(answers, false, { roundId: 'r-1' });
    expect(counted.states.slice(-2)).toEqual(['Mark case completed', 'Count round completed']);
    const call = counted.calls.at(-1)?.input as { Key: { pk: { S: string } } };
    expect(call.Key.pk.S).toBe('ROUND#r-1');
    // a failed count (round item gone) still ends the case normally
    const gone = await run(answers, false, { roundId: 'r-1', countFails: true });
    expect(gone.states.at(-1)).toBe('Count round completed');
    expect(gone.output).toMatchObject({ roundId: 'r-1', caseId: 'c-1' });
  });

  it('counts an expired round case as expired', async () => {
    const { states } = await run(
      {
        'Step describe invite': ok('describe'),
        'Step acknowledge invite': async () => Promise.reject(timeout()),
        'Step acknowledge escalation': async () => Promise.reject(timeout()),
      },
      false,
      { roundId: 'r-2' },
    );
    expect(states.slice(-2)).toEqual(['Mark case expired', 'Count round expired']);
  });

  it('ends quietly when the case is no longer active', async () => {
    const { states } = await run({}, true);
    expect(states).toEqual(['Enter stage report']);
  });
});
