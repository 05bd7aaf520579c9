/**
 * The forms a history is kept in. The in-memory engine keeps histories taken apart
 * (durability/memory-history.ts), a durable engine journals state events as arrays
 * (durability/event-codec.ts) and reads the object form journals written before hold: what
 * GetExecutionHistory returns must be the same in every case, also after a redrive appends to a
 * closed history.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sfn from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { eventOf, type StoredEvent } from '../../../local/sfn/durability/event-codec';
import { MemoryHistory } from '../../../local/sfn/durability/memory-history';
import type { HistoryEvent } from '../../../local/sfn/interpreter/execution-records';
import { benchMachine } from './corpus';
import { lambda, scripted } from './redrive-helpers';

const engines: Engine[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A memory and a durable engine whose Lambda `work` fails until `state.fails` is false. */
function engines2() {
  const state = { fails: true };
  const s = scripted({
    work: () => {
      if (state.fails) throw Object.assign(new Error('down'), { name: 'Backend.Down' });
      return { done: true };
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'sfn-memory-history-'));
  dirs.push(dir);
  const both = [new Engine({ invoke: s.invoke }), new Engine({ invoke: s.invoke, dataDir: dir })];
  engines.push(...both);
  return { state, both: both.map((engine) => ({ engine, ...s.bind(engine) })) };
}

/** The history without timestamps and request ids (the engines ran at different moments). */
function history(engine: Engine, executionArn: string): unknown[] {
  const events = engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [];
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  return events.map((e: Sfn.HistoryEvent) =>
    JSON.parse(JSON.stringify({ ...e, timestamp: e.timestamp instanceof Date }).replace(uuid, 'uuid')),
  );
}

describe('history forms', () => {
  it('read back as the durable engine journals them: Pass, Parallel, Choice, Succeed', async () => {
    const { both } = engines2();
    const [memory, durable] = await Promise.all(
      both.map(async ({ engine, run, finish }) => {
        const arn = await run(benchMachine, { id: 'a1', amount: 250 });
        await finish(arn);
        return history(engine, arn);
      }),
    );
    expect(memory).toHaveLength(20);
    expect(memory).toEqual(durable);
    expect(memory?.[1]).toMatchObject({
      type: 'PassStateEntered',
      id: 2,
      previousEventId: 1,
      stateEnteredEventDetails: { name: 'Prepare', input: '{"id":"a1","amount":250}' },
    });
  });

  it('go on after a redrive, and keep failures and task events whole', async () => {
    const { state, both } = engines2();
    const machine = { StartAt: 'Work', States: { Work: { ...lambda('work'), End: true } } };
    const arns = await Promise.all(both.map(({ run }) => run(machine)));
    await Promise.all(both.map(({ finish }, i) => finish(arns[i] as string)));
    state.fails = false;
    await Promise.all(both.map(({ redrive }, i) => redrive(arns[i] as string)));
    const [memory, durable] = both.map(({ engine }, i) => history(engine, arns[i] as string));
    const types = (memory ?? []).map((e) => (e as { type: string }).type);
    expect(types).toContain('ExecutionFailed');
    expect(types).toContain('ExecutionRedriven');
    expect(types[types.length - 1]).toBe('ExecutionSucceeded');
    expect(memory).toEqual(durable);
  });

  it('MemoryHistory gives back each event as pushed, in order', () => {
    const kept = new MemoryHistory();
    const pushed: HistoryEvent[] = [
      {
        timestamp: 1.5,
        type: 'ExecutionStarted',
        id: 1,
        previousEventId: 0,
        executionStartedEventDetails: { input: '{}' },
      },
      {
        timestamp: 2.25,
        type: 'PassStateEntered',
        id: 2,
        previousEventId: 1,
        stateEnteredEventDetails: { name: 'P', inputValue: { a: [1] } },
      },
      {
        timestamp: 3,
        type: 'PassStateExited',
        id: 3,
        previousEventId: 2,
        stateExitedEventDetails: { name: 'P', outputValue: null },
      },
      {
        timestamp: 4,
        type: 'ExecutionSucceeded',
        id: 4,
        previousEventId: 3,
        executionSucceededEventDetails: { output: 'null' },
      },
      {
        timestamp: 5,
        type: 'ExecutionRedriven',
        id: 5,
        previousEventId: 4,
        executionRedrivenEventDetails: { redriveCount: 1 },
      },
      {
        timestamp: 6,
        type: 'TaskStateEntered',
        id: 7,
        previousEventId: 5,
        stateEnteredEventDetails: { name: 'T', inputValue: 'x' },
      },
    ];
    for (const event of pushed) kept.push(event);
    expect(kept.length).toBe(pushed.length);
    expect(kept.events()).toEqual(pushed);
    // Closed again after the redrive: the events packed at the first close stay as they were.
    const closed: HistoryEvent = {
      timestamp: 8,
      type: 'ExecutionSucceeded',
      id: 8,
      previousEventId: 7,
      executionSucceededEventDetails: { output: '"x"' },
    };
    kept.push(closed);
    expect(kept.length).toBe(pushed.length + 1);
    expect(kept.events()).toEqual([...pushed, closed]);
  });

  it('read back the same from journals that hold state events as objects (written before)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-history-objects-'));
    dirs.push(dir);
    const first = new Engine({ dataDir: dir });
    const { stateMachineArn } = await first.createStateMachine({
      name: 'objects',
      definition: JSON.stringify(benchMachine),
    });
    const { executionArn } = await first.startExecution({ stateMachineArn, input: '{"id":"a","amount":5}' });
    await first.waitForExecution(executionArn as string);
    const before = history(first, executionArn as string);
    await first.close();
    let arrays = 0;
    for (const file of readdirSync(dir).filter((f) => f.startsWith('journal.'))) {
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      const rewritten = lines.map((line) => {
        if (!line.startsWith('{"history":')) return line;
        const parsed = JSON.parse(line) as { history: number; events: StoredEvent[] };
        arrays += parsed.events.filter((e) => Array.isArray(e)).length;
        return JSON.stringify({ history: parsed.history, events: parsed.events.map(eventOf) });
      });
      writeFileSync(join(dir, file), rewritten.join('\n'));
    }
    expect(arrays).toBe(14); // 7 states entered and exited (amount 5 skips Review)
    const second = new Engine({ dataDir: dir });
    engines.push(second);
    expect(history(second, executionArn as string)).toEqual(before);
  });
});
