/**
 * Executions that wait live on disk: a durable engine keeps at most `residentExecutions` in
 * memory, writes the others out, and loads one again when a task token, a timer or an API call
 * needs it. Histories are read from the journal on demand, also after compaction and a restart,
 * and what changes while a compaction plans its snapshot is kept.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine, type EngineOptions } from '../../../local/sfn/index';
import { tempDirs } from '../../support/temp-dirs';
import { heldCalls, until } from './helpers';

const tempDir = tempDirs('sfn-disk-');
const turn = () => new Promise((r) => setTimeout(r, 5));

const ask = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Parameters: { 'who.$': '$.who', step: 'ask' }, Next: 'Ask' },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token', 'who.$': '$.who' } },
      ResultPath: '$.answer',
      TimeoutSeconds: 86_400,
      End: true,
    },
  },
};
const wait = {
  StartAt: 'W',
  States: { W: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Done' }, Done: { Type: 'Pass', End: true } },
};

function durable(dir: string, options: EngineOptions = {}) {
  const tokens = new Map<string, string>();
  const engine = new Engine({
    dataDir: dir,
    residentExecutions: 5,
    invoke: async (_fn, payload) => {
      const p = payload as { token: string; who: string };
      tokens.set(p.who, p.token);
      return { sent: true };
    },
    ...options,
  });
  return { engine, tokens };
}

async function startAll(engine: Engine, count: number) {
  const asks = await engine.createStateMachine({ name: 'ask', definition: JSON.stringify(ask) });
  const waits = await engine.createStateMachine({ name: 'wait', definition: JSON.stringify(wait) });
  const arns: { ask: string[]; wait: string[] } = { ask: [], wait: [] };
  for (let i = 0; i < count; i++) {
    const who = `p${i}`;
    const a = await engine.startExecution({
      stateMachineArn: asks.stateMachineArn,
      name: who,
      input: JSON.stringify({ who }),
    });
    arns.ask.push(a.executionArn as string);
    const w = await engine.startExecution({
      stateMachineArn: waits.stateMachineArn,
      name: who,
      // A minute apart: the engine clock also runs with real time, so timers one second apart would let a
      // slow machine fire the next one before the test looks (wait[31] stays 90 s ahead of the check below).
      input: JSON.stringify({ seconds: 600 + i * 60 }),
    });
    arns.wait.push(w.executionArn as string);
  }
  return arns;
}

function expectCompleteHistory(engine: Engine, executionArn: string, last: string) {
  const events = engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [];
  expect(events.map((e) => e.id)).toEqual(events.map((_e, i) => i + 1));
  expect(events[0]?.type).toBe('ExecutionStarted');
  expect(events.at(-1)?.type).toBe(last);
}

describe('waiting executions on disk', () => {
  it('keeps at most residentExecutions in memory; a token, a timer or a describe loads one', async () => {
    const { engine, tokens } = durable(tempDir());
    try {
      const arns = await startAll(engine, 60);
      await until(() => tokens.size >= 60);
      expect(tokens.size).toBe(60);
      await turn();
      expect(engine.stats()).toMatchObject({ executions: 120, running: 120, timers: 120 });
      expect(engine.stats().resident).toBeLessThanOrEqual(5);

      // Read from disk without keeping them: describe, history.
      const described = engine.describeExecution({ executionArn: arns.ask[7] });
      expect(described).toMatchObject({ status: 'RUNNING', input: '{"who":"p7"}' });
      const waiting = engine.getExecutionHistory({ executionArn: arns.ask[7] }).events ?? [];
      expect(waiting.map((e) => e.type)).toContain('TaskSubmitted');

      // Answer every token, most recent first: each execution is loaded and completes.
      for (let i = 59; i >= 0; i--) {
        await engine.sendTaskSuccess({
          taskToken: tokens.get(`p${i}`) as string,
          output: JSON.stringify({ n: i }),
        });
      }
      for (const [i, arn] of arns.ask.entries()) {
        const d = await engine.waitForExecution(arn);
        expect(JSON.parse(d.output as string)).toEqual({ who: `p${i}`, step: 'ask', answer: { n: i } });
        expectCompleteHistory(engine, arn, 'ExecutionSucceeded');
      }
      // The Wait timers fire in due order while their executions are on disk.
      await engine.advance(2370);
      for (const arn of arns.wait.slice(0, 30))
        expect((await engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
      expect(engine.describeExecution({ executionArn: arns.wait[31] }).status).toBe('RUNNING');
      await engine.advance(1800);
      for (const arn of arns.wait) expectCompleteHistory(engine, arn, 'ExecutionSucceeded');
      // Executions loaded to answer the calls above are evicted again at the next batch.
      await until(() => engine.stats().resident <= 5);
      expect(engine.stats().resident).toBeLessThanOrEqual(5);
    } finally {
      await engine.close();
    }
  });

  it('keeps tokens and histories through compactions and a restart', async () => {
    const dir = tempDir();
    const first = durable(dir, { compactBytes: 20_000 });
    const arns = await startAll(first.engine, 80);
    await until(() => first.tokens.size >= 80);
    // Answer half of them before the restart: those close, the others still wait.
    for (let i = 0; i < 40; i++)
      await first.engine.sendTaskSuccess({
        taskToken: first.tokens.get(`p${i}`) as string,
        output: '"early"',
      });
    await first.engine.close();
    expect(readdirSync(dir).filter((f) => /^snapshot\.\d+\.jsonl$/.test(f))).toHaveLength(1);

    const second = durable(dir);
    try {
      expect(second.engine.stats().resident).toBeLessThanOrEqual(5);
      for (let i = 0; i < 40; i++) {
        expect(second.engine.describeExecution({ executionArn: arns.ask[i] }).status).toBe('SUCCEEDED');
        expectCompleteHistory(second.engine, arns.ask[i] as string, 'ExecutionSucceeded');
      }
      for (let i = 40; i < 80; i++) {
        const taskToken = first.tokens.get(`p${i}`) as string;
        await second.engine.sendTaskSuccess({ taskToken, output: '"late"' });
        const d = await second.engine.waitForExecution(arns.ask[i] as string);
        expect(JSON.parse(d.output as string).answer).toBe('late');
        expectCompleteHistory(second.engine, arns.ask[i] as string, 'ExecutionSucceeded');
      }
      // An answered token does not answer twice.
      await expect(
        second.engine.sendTaskSuccess({ taskToken: first.tokens.get('p3') as string, output: '"again"' }),
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
      await second.engine.advance(6000);
      for (const arn of arns.wait)
        expect((await second.engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
    } finally {
      await second.engine.close();
    }
  });
});

describe('compaction while the engine runs', () => {
  it("keeps the answers given between a compaction's pauses, before and after a restart", async () => {
    const dir = tempDir();
    const first = durable(dir, { compactBytes: 20_000, compactSliceMs: 0 });
    const arns = await startAll(first.engine, 80);
    await until(() => first.tokens.size >= 80);
    // Answers big enough that the journal outgrows its snapshot again and again while they land. Each
    // compaction pauses after every execution it plans, and the answers come in between: executions
    // it has planned change and are evicted again before it ends.
    const answer = (i: number) => `${i} ${'x'.repeat(4000)}`;
    for (let i = 0; i < 80; i++) {
      await new Promise(setImmediate);
      await first.engine.sendTaskSuccess({
        taskToken: first.tokens.get(`p${i}`) as string,
        output: JSON.stringify(answer(i)),
      });
    }
    const expectAnswered = async (engine: Engine) => {
      for (let i = 0; i < 80; i++) {
        const done = await engine.waitForExecution(arns.ask[i] as string);
        expect(done.status).toBe('SUCCEEDED');
        expect(JSON.parse(done.output as string).answer).toBe(answer(i));
        expectCompleteHistory(engine, arns.ask[i] as string, 'ExecutionSucceeded');
      }
      for (const arn of arns.wait)
        expect(engine.describeExecution({ executionArn: arn }).status).toBe('RUNNING');
    };
    // First through the locations the compactions left in memory, then through replay.
    await expectAnswered(first.engine);
    await first.engine.close();
    const snapshots = readdirSync(dir).filter((f) => /^snapshot\.\d+\.jsonl$/.test(f));
    expect(snapshots).toHaveLength(1);
    // Several compactions ran (each one a generation), not just one at the start.
    expect(Number(/\d+/.exec(snapshots[0] as string)?.[0])).toBeGreaterThanOrEqual(4);
    const second = durable(dir);
    try {
      await expectAnswered(second.engine);
    } finally {
      await second.engine.close();
    }
  });
});

describe('back-pressure', () => {
  it('runs at most maxConcurrentTasks integration calls at once; the rest wait their turn', async () => {
    let running = 0;
    let peak = 0;
    const engine = new Engine({
      maxConcurrentTasks: 3,
      invoke: async (_fn, payload) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 3));
        running--;
        return payload;
      },
    });
    try {
      const definition = {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'f', 'Payload.$': '$' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      };
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'bp',
        definition: JSON.stringify(definition),
      });
      const arns = await Promise.all(
        Array.from({ length: 30 }, async (_v, i) => {
          const r = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ i }) });
          return r.executionArn as string;
        }),
      );
      await until(() => engine.stats().tasksQueued > 0);
      const queued = engine.stats().tasksQueued;
      expect(queued).toBeGreaterThan(0);
      expect(engine.stats().tasksInFlight).toBeLessThanOrEqual(3);
      for (const [i, arn] of arns.entries())
        expect(JSON.parse((await engine.waitForExecution(arn)).output as string)).toEqual({ i });
      expect(peak).toBe(3);
      expect(engine.stats()).toMatchObject({ tasksInFlight: 0, tasksQueued: 0 });
    } finally {
      await engine.close();
    }
  });

  it("one function's backlog does not hold up another's call: the functions take turns", async () => {
    const calls: string[] = [];
    // The calls are held until `other` is in.
    const { held, release } = heldCalls();
    const engine = new Engine({
      maxConcurrentTasks: 1,
      invoke: async (fn, payload) => {
        calls.push(fn.replace(/.*:function:/, ''));
        await new Promise((r) => setTimeout(r, 2));
        await held;
        return payload;
      },
    });
    const machine = async (name: string, fn: string) =>
      (
        await engine.createStateMachine({
          name,
          definition: JSON.stringify({
            StartAt: 'T',
            States: {
              T: {
                Type: 'Task',
                Resource: `arn:aws:lambda:eu-west-1:000000000000:function:${fn}`,
                End: true,
              },
            },
          }),
        })
      ).stateMachineArn;
    try {
      const busy = await machine('busy', 'busy');
      const other = await machine('other', 'other');
      const arns: string[] = [];
      for (let i = 0; i < 10; i++)
        arns.push(
          (await engine.startExecution({ stateMachineArn: busy, input: '{}' })).executionArn as string,
        );
      await until(() => engine.stats().tasksQueued >= 3);
      // `busy` calls made and queued when `other` starts: one queue for all would run it after all of them.
      const before = calls.length;
      const queued = engine.stats().tasksQueued;
      arns.push(
        (await engine.startExecution({ stateMachineArn: other, input: '{}' })).executionArn as string,
      );
      await until(() => engine.stats().tasksQueued > queued);
      release();
      for (const arn of arns) expect((await engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
      expect(queued).toBeGreaterThanOrEqual(3);
      // In turns: the call in flight returns, the busy lane's next goes, then `other`.
      expect(calls.indexOf('other')).toBeLessThanOrEqual(before + 2);
      expect(calls.indexOf('other')).toBeLessThan(before + queued);
    } finally {
      await engine.close();
    }
  });

  it('a task waiting for its turn may wait on disk', async () => {
    const calls: number[] = [];
    const engine = new Engine({
      dataDir: tempDir(),
      residentExecutions: 1,
      maxConcurrentTasks: 1,
      invoke: async (_fn, payload) => {
        calls.push((payload as { i: number }).i);
        await new Promise((r) => setTimeout(r, 2));
        return payload;
      },
    });
    try {
      const definition = {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:000000000000:function:f', End: true },
        },
      };
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'one',
        definition: JSON.stringify(definition),
      });
      const arns: string[] = [];
      for (let i = 0; i < 10; i++)
        arns.push(
          (await engine.startExecution({ stateMachineArn, input: JSON.stringify({ i }) }))
            .executionArn as string,
        );
      for (const arn of arns) expect((await engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
      expect(calls).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await engine.close();
    }
  });
});
