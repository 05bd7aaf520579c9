/**
 * engine.onStatusChange: one notice per status change (start, redrive, close) with the fields
 * of AWS's "Step Functions Execution Status Change" event detail, delivered only once the change
 * is durable, at least once across a crash, never twice across a clean restart, and unable to
 * break the engine.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine, type EngineOptions } from '../../../local/sfn/api/engine';
import type { ExecutionStatusChange } from '../../../local/sfn/scheduler/status-notices';
import { tempDirs } from '../../support/temp-dirs';

const engines: Engine[] = [];
const tempDir = tempDirs('sfn-notices-');
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  vi.restoreAllMocks();
});
const turn = () => new Promise((r) => setTimeout(r, 20));

function setup(options: EngineOptions = {}) {
  const engine = new Engine(options);
  engines.push(engine);
  const seen: ExecutionStatusChange[] = [];
  engine.onStatusChange((c) => {
    seen.push(c);
  });
  const start = async (definition: unknown, input: unknown = {}, name = 'm') => {
    const { stateMachineArn } = await engine.createStateMachine({
      name,
      definition: JSON.stringify(definition),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
    return executionArn as string;
  };
  return { engine, seen, start };
}

const failing = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Planned', Cause: 'on purpose' } } };

describe('status-change notices', () => {
  it('announces start, close, redrive and the second close with the EventBridge detail fields', async () => {
    const { engine, seen, start } = setup();
    const arn = await start(failing, { caseId: 'c-1' });
    await engine.waitForExecution(arn);
    await turn();
    await engine.redriveExecution({ executionArn: arn });
    await engine.waitForExecution(arn);
    await turn();
    const d = engine.describeExecution({ executionArn: arn });
    expect(seen.map((c) => [c.status, c.redriveCount])).toEqual([
      ['RUNNING', 0],
      ['FAILED', 0],
      ['RUNNING', 1],
      ['FAILED', 1],
    ]);
    const [started, failed, redriven] = seen as ExecutionStatusChange[];
    expect(started).toEqual({
      executionArn: arn,
      stateMachineArn: d.stateMachineArn,
      name: d.name,
      status: 'RUNNING',
      startDate: d.startDate?.getTime(),
      stopDate: null,
      input: '{"caseId":"c-1"}',
      output: null,
      error: null,
      cause: null,
      redriveCount: 0,
    });
    expect(failed).toMatchObject({ error: 'Planned', cause: 'on purpose', output: null });
    expect(failed?.stopDate).toBeGreaterThanOrEqual(failed?.startDate ?? Number.POSITIVE_INFINITY);
    expect(redriven).toMatchObject({
      stopDate: null,
      error: null,
      cause: null,
      startDate: started?.startDate,
    });
  });

  it('announces SUCCEEDED with its output, TIMED_OUT and ABORTED', async () => {
    const { engine, seen, start } = setup();
    const ok = await start(
      { StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: 1 }, End: true } } },
      {},
      'ok',
    );
    const wait = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } };
    const timed = await start({ ...wait, TimeoutSeconds: 10 }, {}, 'timed');
    const aborted = await start(wait, {}, 'aborted');
    await turn();
    await engine.stopExecution({ executionArn: aborted, error: 'Stop', cause: 'by hand' });
    await engine.advance(11);
    await turn();
    const closes = seen.filter((c) => c.status !== 'RUNNING');
    expect(closes.map((c) => [c.executionArn, c.status])).toEqual([
      [ok, 'SUCCEEDED'],
      [aborted, 'ABORTED'],
      [timed, 'TIMED_OUT'],
    ]);
    expect(closes[0]?.output).toBe('{"ok":1}');
    expect(closes[1]).toMatchObject({ error: 'Stop', cause: 'by hand' });
    expect(closes[2]).toMatchObject({ error: 'States.Timeout' });
  });

  it('keeps going when a listener throws or rejects, and reports it', async () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { engine, seen, start } = setup();
    engine.onStatusChange(() => {
      throw new Error('listener bug');
    });
    engine.onStatusChange(async () => {
      throw new Error('async listener bug');
    });
    const arn = await start({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    expect((await engine.waitForExecution(arn)).status).toBe('SUCCEEDED');
    await turn();
    expect(seen.map((c) => c.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(report.mock.calls.length).toBe(4);
    expect(String(report.mock.calls[0]?.[0])).toContain('status listener failed');
  });

  it('holds notices until the first listener registers', async () => {
    const engine = new Engine();
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'late',
      definition: JSON.stringify(failing),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn });
    await engine.waitForExecution(executionArn as string);
    await turn();
    const seen: string[] = [];
    engine.onStatusChange((c) => {
      seen.push(c.status);
    });
    await turn();
    expect(seen).toEqual(['RUNNING', 'FAILED']);
  });
});

describe('notices and durability', () => {
  it('announces a change only once the journal holds it', async () => {
    const dir = tempDir();
    const journalText = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('journal.'))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('');
    const onDisk: boolean[] = [];
    const { engine, start } = setup({
      dataDir: dir,
      onStatusChange: (c) => {
        // A start is journaled with the run that follows it in the same tick: the line that
        // holds the start may already say FAILED, so RUNNING is judged by the start event.
        const text = journalText();
        const change = c.status === 'RUNNING' ? '"type":"ExecutionStarted"' : `"status":"${c.status}"`;
        onDisk.push(text.includes(change) && text.includes(c.executionArn));
      },
    });
    const arn = await start(failing);
    await engine.waitForExecution(arn);
    await turn();
    expect(onDisk).toEqual([true, true]);
  });

  it('does not repeat announced changes after a clean restart', async () => {
    const dir = tempDir();
    const first = setup({ dataDir: dir });
    const arn = await first.start(failing);
    await first.engine.waitForExecution(arn);
    await first.engine.close();
    expect(first.seen.map((c) => c.status)).toEqual(['RUNNING', 'FAILED']);
    const again: string[] = [];
    const engine = new Engine({ dataDir: dir, onStatusChange: (c) => void again.push(c.status) });
    engines.push(engine);
    await turn();
    expect(again).toEqual([]);
    await engine.redriveExecution({ executionArn: arn });
    await engine.waitForExecution(arn);
    await turn();
    expect(again).toEqual(['RUNNING', 'FAILED']);
  });

  it('announces, after a SIGKILL, the close whose announcement was not recorded, and only that', async () => {
    const dir = tempDir();
    const lines: Record<string, unknown>[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'fixtures', 'notice-child.ts'), dir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let buf = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
          buf = buf.slice(i + 1);
        }
      });
      const timeout = setTimeout(() => reject(new Error('child did not die')), 30_000);
      child.on('close', (_code, signal) => {
        clearTimeout(timeout);
        if (signal === 'SIGKILL') resolve();
        else reject(new Error(`child exited with ${signal}: ${JSON.stringify(lines)}`));
      });
    });
    expect(lines.filter((l) => l.notice).map((l) => l.notice)).toEqual([
      { name: 'first', status: 'RUNNING' },
      { name: 'first', status: 'SUCCEEDED' },
      { name: 'second', status: 'RUNNING' },
      { name: 'second', status: 'FAILED' },
    ]);
    const after: ExecutionStatusChange[] = [];
    const engine = new Engine({ dataDir: dir, onStatusChange: (c) => void after.push(c) });
    engines.push(engine);
    await turn();
    expect(after.map((c) => [c.name, c.status, c.error])).toEqual([['second', 'FAILED', 'Planned']]);
  });
});
