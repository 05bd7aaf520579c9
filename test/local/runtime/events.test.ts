import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsyncInvocation } from '../../../local/runtime/async-invoke';
import { LocalEvents, type RuleSpec } from '../../../local/runtime/events';
import { statusChangeEvent } from '../../../local/runtime/execution-events';
import type { InvokePermissions } from '../../../local/runtime/permissions';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { Scheduler } from '../../../local/runtime/scheduler';
import { Engine, type ExecutionStatusChange, type StatusListener } from '../../../local/sfn/index';
import { writeAssembly } from './fixture';

// biome-ignore lint/suspicious/noExplicitAny: the test reads deep into events it just asserted on
type Loose = any;

const root = join(process.cwd(), '.data', 'test-fixtures');
const RECORDER = `
  const { appendFileSync } = require('node:fs');
  exports.handler = async (event, context) => {
    appendFileSync(process.env.SEEN_FILE, JSON.stringify({ fn: context.functionName, event }) + '\\n');
  };`;
const PASS = '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}';

function assembly(seen: string): string {
  const fn = (name: string) => ({
    code: RECORDER,
    description: `coproduce ${name}`,
    environment: { SEEN_FILE: seen },
  });
  const machine = (type: string) => ({
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: {
      DefinitionString: PASS,
      RoleArn: 'arn:aws:iam::000000000000:role/x',
      StateMachineType: type,
    },
  });
  const rule = (target: string, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::Events::Rule',
    Properties: {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ Ref: 'Service' }, { Ref: 'Quick' }],
        },
      },
      State: 'ENABLED',
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [target, 'Arn'] },
          Id: 'Target0',
          RetryPolicy: { MaximumRetryAttempts: 3 },
          ...extra,
        },
      ],
    },
  });
  return writeAssembly(
    root,
    { CaseFailed: fn('case-failed'), Orphan: fn('orphan') },
    {
      Service: machine('STANDARD'),
      Quick: machine('EXPRESS'),
      FailedRule: rule('CaseFailed'),
      CaseFailedPermission: {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': ['CaseFailed', 'Arn'] },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': ['FailedRule', 'Arn'] },
        },
      },
      // A target nobody allowed EventBridge to invoke: AWS does not deliver to it.
      OrphanRule: rule('Orphan', { DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }),
      Dlq: { Type: 'AWS::SQS::Queue', Properties: {} },
      Nightly: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)', Targets: [] } },
    },
  );
}

let cdkOut: string;
let dataDir: string;
let rt: Runtime;
const lines: string[] = [];
const listeners: StatusListener[] = [];
const seenFile = () => join(dataDir, 'seen.jsonl');
const seen = (): { fn: string; event: Loose }[] =>
  existsSync(seenFile())
    ? readFileSync(seenFile(), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-events-'));
  cdkOut = assembly(seenFile());
  // The engine's status-change contract (onStatusChange), emitted here by the test.
  const proto = Engine.prototype as unknown as Record<string, unknown>;
  const original = proto.onStatusChange;
  proto.onStatusChange = (listener: StatusListener) => void listeners.push(listener);
  try {
    rt = await startRuntime({
      cdkOut,
      dataDir,
      port: 0,
      sweepIntervalMs: 3_600_000,
      log: (l) => lines.push(l),
    });
  } finally {
    if (original === undefined) delete proto.onStatusChange;
    else proto.onStatusChange = original;
  }
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const machineArn = (name: string) => `arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-${name}`;
const change = (over: Partial<ExecutionStatusChange> = {}): ExecutionStatusChange => ({
  executionArn: 'arn:aws:states:eu-west-1:000000000000:execution:demo-stack-Service:case-1',
  stateMachineArn: machineArn('Service'),
  name: 'case-1',
  status: 'FAILED',
  startDate: 1_700_000_000_000,
  stopDate: 1_700_000_001_000,
  input: '{"caseId":"case-1"}',
  output: null,
  error: 'Lambda.TooManyRequestsException',
  cause: 'Rate exceeded',
  redriveCount: 0,
  ...over,
});

describe('Step Functions status changes through EventBridge rules', () => {
  it('sends a matching change to the rule target as the event AWS sends, invoked asynchronously', async () => {
    expect(listeners).toHaveLength(1);
    await (listeners[0] as StatusListener)(change());
    const [delivery] = seen().filter((s) => s.fn === 'demo-stack-CaseFailed');
    expect(delivery?.event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'eu-west-1',
      resources: [change().executionArn],
      detail: {
        executionArn: change().executionArn,
        stateMachineArn: machineArn('Service'),
        name: 'case-1',
        status: 'FAILED',
        startDate: 1_700_000_000_000,
        stopDate: 1_700_000_001_000,
        input: '{"caseId":"case-1"}',
        inputDetails: { included: true },
        output: null,
        outputDetails: null,
        error: 'Lambda.TooManyRequestsException',
        cause: 'Rate exceeded',
        redriveCount: 0,
      },
    });
  });

  it('drops changes no rule matches, and the changes of Express executions', async () => {
    const before = seen().length;
    await (listeners[0] as StatusListener)(change({ status: 'SUCCEEDED', output: '{}' }));
    await (listeners[0] as StatusListener)(
      change({ status: 'RUNNING', stopDate: null, error: null, cause: null }),
    );
    await (listeners[0] as StatusListener)(change({ stateMachineArn: machineArn('Other') }));
    await (listeners[0] as StatusListener)(change({ stateMachineArn: machineArn('Quick') }));
    await rt.asyncLambda.idle();
    expect(seen().length).toBe(before);
  });

  it('does not deliver to a function without a permission for EventBridge: its dead-letter queue is logged', () => {
    expect(seen().some((s) => s.fn === 'demo-stack-Orphan')).toBe(false);
    expect(
      lines.some((l) => /OrphanRule.*AccessDeniedException.*sent to dead-letter queue arn:aws:sqs:/.test(l)),
    ).toBe(true);
  });

  it('says which rules it does not run', () => {
    expect(lines).toContain(
      'not emulated: AWS::SQS::Queue (1): what would reach a dead-letter queue is logged instead',
    );
    expect(
      lines.some((l) =>
        /EventBridge rule demo-stack-Nightly-\w+: schedule rate\(1 day\) is not run locally/.test(l),
      ),
    ).toBe(true);
  });
});

describe('status changes', () => {
  it('become events with dates in epoch milliseconds and the output only when there is one', () => {
    const event = statusChangeEvent(
      change({
        status: 'SUCCEEDED',
        startDate: 5000,
        stopDate: 6000,
        output: '{"a":1}',
        error: null,
      }),
      Date.parse('2026-03-01T10:00:00.123Z'),
    );
    expect(event.time).toBe('2026-03-01T10:00:00Z');
    expect(event.detail).toMatchObject({
      startDate: 5000,
      stopDate: 6000,
      output: '{"a":1}',
      outputDetails: { included: true },
      error: null,
    });
  });
});

describe('target retry policy', () => {
  const rule: RuleSpec = {
    name: 'r',
    arn: 'arn:aws:events:eu-west-1:000000000000:rule/r',
    pattern: { source: ['aws.states'] },
    targets: [
      {
        id: 't',
        arn: 'arn:aws:lambda:eu-west-1:000000000000:function:f',
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 3600,
      },
    ],
  };
  const allowAll = { allows: () => true } as unknown as InvokePermissions;

  function setUp(failures: string[]) {
    let now = 0;
    const scheduler = new Scheduler(() => now);
    const attempts: number[] = [];
    const log: string[] = [];
    const events = new LocalEvents([rule], {
      invokeAsync: () => {
        attempts.push(now);
        const name = failures.shift();
        if (name) throw Object.assign(new Error('busy'), { name });
        return { firstAttempt: Promise.resolve({ ok: true }) } as unknown as AsyncInvocation;
      },
      permissions: allowAll,
      scheduler,
      now: () => now,
      log: (l) => log.push(l),
    });
    const advance = (ms: number) => {
      now += ms;
      scheduler.runDue();
    };
    return { events, attempts, log, advance, event: statusChangeEvent(change(), 0) };
  }

  it('retries a throttled delivery with back-off until it is delivered', () => {
    const t = setUp(['TooManyRequestsException', 'TooManyRequestsException']);
    expect(t.events.put(t.event).matched).toEqual(['r']);
    t.advance(1_000);
    t.advance(2_000);
    expect(t.attempts).toHaveLength(3);
    expect(t.attempts[2] as number).toBeGreaterThan(t.attempts[1] as number);
    expect(t.log).toEqual([]);
  });

  it('stops after MaximumRetryAttempts, and does not retry what cannot succeed', () => {
    const t = setUp(['ServiceException', 'ServiceException', 'ServiceException', 'ServiceException']);
    t.events.put(t.event);
    for (let i = 0; i < 10; i++) t.advance(10_000);
    expect(t.attempts).toHaveLength(3);
    expect(t.log[0]).toMatch(/ServiceException: busy; event .* dropped/);
    const u = setUp(['ResourceNotFoundException']);
    u.events.put(u.event);
    u.advance(60_000);
    expect(u.attempts).toHaveLength(1);
  });
});
