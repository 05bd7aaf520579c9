/**
 * Durability: a child process runs a durable engine and is killed with SIGKILL mid-work; a new
 * engine on the same directory must continue every execution: same task tokens, timers at their
 * original due time on the (persisted) engine clock, and no persisted state run twice.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { tempDirs } from '../../support/temp-dirs';

const tempDir = tempDirs('sfn-durable-');

interface ChildReport {
  tokens: { token: string; tag: string }[];
  execs: Record<string, string>;
  now: number;
  onceCalls: number;
  acked: number;
  prefix: string;
}

/**
 * Runs the child until it is ready plus `extraMs` of busy work, then SIGKILLs it. `resident`
 * limits the executions the child keeps in memory (the others wait on disk).
 */
function runAndKill(
  dir: string,
  extraMs: number,
  compactBytes?: number,
  resident?: number,
): Promise<ChildReport> {
  const args = [
    join(__dirname, 'fixtures', 'crash-child.ts'),
    dir,
    compactBytes === undefined ? '-' : String(compactBytes),
    resident === undefined ? '-' : String(resident),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const report: ChildReport = { tokens: [], execs: {}, now: 0, onceCalls: 0, acked: 0, prefix: '' };
  let buf = '';
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('child never became ready')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        if (typeof msg.token === 'string') report.tokens.push({ token: msg.token, tag: String(msg.tag) });
        if (msg.once) report.onceCalls++;
        if (typeof msg.acked === 'number') {
          report.acked = msg.acked;
          report.prefix = String(msg.prefix);
        }
        if (msg.ready) {
          report.execs = msg.execs as Record<string, string>;
          report.now = msg.now as number;
          setTimeout(() => child.kill('SIGKILL'), extraMs);
        }
      }
    });
    // 'close' (not 'exit'): all of the child's stdout has been read by then.
    child.on('close', (_code, signal) => {
      clearTimeout(timeout);
      if (signal !== 'SIGKILL') reject(new Error(`child exited without SIGKILL (${signal})`));
      else resolve(report);
    });
  });
}

const tick = () => new Promise((r) => setTimeout(r, 20));

/** Every execution of a machine, following nextToken (pages hold at most 1000). */
function allExecutions(engine: Engine, name: string, statusFilter?: 'RUNNING') {
  const out: { executionArn?: string; name?: string; status?: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = engine.listExecutions({
      stateMachineArn: engine.machineArn(name),
      statusFilter,
      maxResults: 1000,
      nextToken,
    });
    out.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

// Each scenario runs twice: with every execution in memory, and with at most one in memory (the
// waiting ones live on disk and are loaded when a token, a timer or a restart wakes them).
describe.each([
  ['all executions in memory', undefined],
  ['waiting executions on disk', 1],
])('durability across SIGKILL (%s)', (_name, resident) => {
  it('continues executions, tokens and timers after a crash', async () => {
    const dir = tempDir();
    const child = await runAndKill(dir, 300, undefined, resident);
    expect(child.tokens.map((t) => t.tag).sort()).toEqual(['branch', 'map', 'redriven', 'token']);
    expect(child.onceCalls).toBe(1);

    const calls: string[] = [];
    const engine = new Engine({
      dataDir: dir,
      residentExecutions: resident,
      invoke: async (fn, payload) => {
        calls.push(fn);
        const p = payload as { token?: string; tag?: string };
        if (p.token) child.tokens.push({ token: p.token, tag: `${p.tag}-new` });
        return { fn };
      },
    });
    try {
      const status = (name: string) => engine.describeExecution({ executionArn: child.execs[name] }).status;
      // The clock offset survived: engine time is still about one day ahead.
      expect(engine.now() - Date.now()).toBeGreaterThan(86_390_000);
      for (const name of ['token', 'wait', 'parallel', 'map', 'retry', 'once', 'redrive'])
        expect(status(name)).toBe('RUNNING');

      // The redriven execution is still redriven, still waits on the token of its second
      // attempt, and completes without re-running the branch that had succeeded.
      expect(engine.describeExecution({ executionArn: child.execs.redrive }).redriveCount).toBe(1);
      const redriven = child.tokens.find((t) => t.tag === 'redriven')?.token as string;
      await engine.sendTaskSuccess({ taskToken: redriven, output: '"asked"' });
      expect(
        JSON.parse((await engine.waitForExecution(child.execs.redrive as string)).output as string),
      ).toEqual([{ fn: 'steady' }, 'asked']);
      const redriveHistory =
        engine.getExecutionHistory({ executionArn: child.execs.redrive, maxResults: 1000 }).events ?? [];
      expect(redriveHistory.filter((e) => e.type?.startsWith('Execution')).map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'ExecutionFailed',
        'ExecutionRedriven',
        'ExecutionSucceeded',
      ]);

      // The same tokens still work.
      const tok = (tag: string) => child.tokens.find((t) => t.tag === tag)?.token as string;
      await engine.sendTaskSuccess({ taskToken: tok('token'), output: '{"answer":42}' });
      const done = await engine.waitForExecution(child.execs.token as string);
      expect(JSON.parse(done.output as string)).toEqual({ answer: 42, p: 'after' });
      await engine.sendTaskSuccess({ taskToken: tok('branch'), output: '"b1"' });
      await engine.sendTaskSuccess({ taskToken: tok('map'), output: '"m1"' });
      // The Map moves on to item 2 and issues a new token from the new engine.
      for (let i = 0; i < 100 && !child.tokens.some((t) => t.tag === 'map-new'); i++) await tick();
      const mapToken = child.tokens.find((t) => t.tag === 'map-new')?.token as string;
      expect(mapToken).toBeTruthy();
      await engine.sendTaskSuccess({ taskToken: mapToken, output: '"m2"' });
      expect(JSON.parse((await engine.waitForExecution(child.execs.map as string)).output as string)).toEqual(
        ['m1', 'm2'],
      );

      // Timers fire at their original due time: the retry delay (100 s) and the Waits (300 s, 600 s)
      // count from when the child started them, not from the restart.
      const elapsed = (engine.now() - child.now) / 1000;
      expect(elapsed).toBeLessThan(30);
      await engine.advance(95 - elapsed);
      await tick();
      expect(status('retry')).toBe('RUNNING');
      await engine.advance(10);
      expect(
        JSON.parse((await engine.waitForExecution(child.execs.retry as string)).output as string),
      ).toEqual({ fn: 'flaky' });
      await engine.advance(190);
      await tick();
      expect(status('parallel')).toBe('RUNNING');
      await engine.advance(10);
      expect(
        JSON.parse((await engine.waitForExecution(child.execs.parallel as string)).output as string),
      ).toEqual(['b1', 'b2']);
      await engine.advance(290);
      await tick();
      expect(status('wait')).toBe('RUNNING');
      await engine.advance(10);
      expect((await engine.waitForExecution(child.execs.wait as string)).output).toBe('"waited"');
      expect(status('once')).toBe('SUCCEEDED');

      // The completed Lambda task of `once` was not run again; `flaky` was retried exactly once.
      expect(calls.filter((c) => c === 'once' || c === 'steady' || c === 'broken')).toEqual([]);
      expect(calls.filter((c) => c === 'flaky')).toEqual(['flaky']);

      // Busy executions caught mid-flight all complete.
      const busy = { executions: allExecutions(engine, 'busy', 'RUNNING') };
      for (const x of busy.executions ?? []) await engine.waitForExecution(x.executionArn as string);
      const all = { executions: allExecutions(engine, 'busy') };
      expect(child.acked).toBeGreaterThan(0);
      expect(all.executions?.length).toBeGreaterThanOrEqual(child.acked);
      expect(all.executions?.every((x) => x.status === 'SUCCEEDED')).toBe(true);
      // Every acknowledged start survived, and every history is complete and gap-free.
      const names = new Set(all.executions?.map((x) => x.name));
      for (let i = 0; i < child.acked; i++) expect(names.has(`${child.prefix}${i}`)).toBe(true);
      for (const x of all.executions ?? []) {
        const ev =
          engine.getExecutionHistory({ executionArn: x.executionArn, maxResults: 1000 }).events ?? [];
        expect(ev.map((e) => e.id)).toEqual(ev.map((_e, i) => i + 1));
        expect(ev[0]?.type).toBe('ExecutionStarted');
        expect(ev.at(-1)?.type).toBe('ExecutionSucceeded');
      }
    } finally {
      await engine.close();
    }
  });

  it('survives repeated kills at random moments, also during snapshots', async () => {
    const dir = tempDir();
    const reports: ChildReport[] = [];
    for (let round = 0; round < 3; round++) {
      reports.push(await runAndKill(dir, 20 + Math.floor(Math.random() * 300), 40_000, resident));
      const e = new Engine({ dataDir: dir, residentExecutions: resident });
      try {
        const names = new Set(allExecutions(e, 'busy').map((x) => x.name));
        const last = reports[round] as ChildReport;
        for (let i = 0; i < last.acked; i++) expect(names.has(`${last.prefix}${i}`)).toBe(true);
      } finally {
        await e.close();
      }
    }
    // The first run's token is still the one that completes the callback task.
    const e = new Engine({ dataDir: dir, residentExecutions: resident });
    try {
      const first = reports[0] as ChildReport;
      const tok = first.tokens.find((t) => t.tag === 'token')?.token as string;
      await e.sendTaskSuccess({ taskToken: tok, output: '{"late":true}' });
      const d = await e.waitForExecution(first.execs.token as string);
      expect(JSON.parse(d.output as string)).toEqual({ late: true, p: 'after' });
      // So is the redriven execution's, through the snapshots of every run.
      const redriven = first.tokens.find((t) => t.tag === 'redriven')?.token as string;
      await e.sendTaskSuccess({ taskToken: redriven, output: '"late"' });
      const r = await e.waitForExecution(first.execs.redrive as string);
      expect(r).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
      // Later runs asked for the same execution names with the same input: same executions, so
      // they got no new token for it.
      for (const r of reports.slice(1)) expect(r.tokens.filter((t) => t.tag === 'token')).toEqual([]);
      const busy = { executions: allExecutions(e, 'busy', 'RUNNING') };
      for (const x of busy.executions ?? [])
        expect((await e.waitForExecution(x.executionArn as string)).status).toBe('SUCCEEDED');
    } finally {
      await e.close();
    }
  });

  it('ignores a torn last journal line and keeps appending cleanly', async () => {
    const dir = tempDir();
    const e1 = new Engine({ dataDir: dir, residentExecutions: resident });
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } };
    const { stateMachineArn } = await e1.createStateMachine({ name: 'w', definition: JSON.stringify(def) });
    const { executionArn } = await e1.startExecution({ stateMachineArn, name: 'one' });
    await e1.close();
    const journal = readdirSync(dir).find((f) => f.startsWith('journal.')) as string;
    appendFileSync(join(dir, journal), '{"x":[{"key":99,"arn":"torn');

    const e2 = new Engine({ dataDir: dir, residentExecutions: resident });
    expect(e2.describeExecution({ executionArn }).status).toBe('RUNNING');
    const two = await e2.startExecution({ stateMachineArn, name: 'two' });
    await e2.close();

    const e3 = new Engine({ dataDir: dir, residentExecutions: resident });
    expect(e3.describeExecution({ executionArn: two.executionArn }).status).toBe('RUNNING');
    await e3.advance(61);
    expect((await e3.waitForExecution(executionArn as string)).status).toBe('SUCCEEDED');
    expect((await e3.waitForExecution(two.executionArn as string)).status).toBe('SUCCEEDED');
    await e3.close();
  });

  it('compacts the journal into a snapshot and recovers from it', async () => {
    const dir = tempDir();
    const e1 = new Engine({ dataDir: dir, compactBytes: 20_000, residentExecutions: resident });
    const def = {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 30, End: true } },
    };
    const { stateMachineArn } = await e1.createStateMachine({ name: 'c', definition: JSON.stringify(def) });
    const arns: string[] = [];
    for (let i = 0; i < 100; i++)
      arns.push((await e1.startExecution({ stateMachineArn, name: `n${i}` })).executionArn as string);
    await tick();
    await e1.close();
    const files = readdirSync(dir);
    expect(files.some((f) => /^snapshot\.\d+\.jsonl$/.test(f))).toBe(true);
    expect(files.filter((f) => f.startsWith('journal.')).length).toBe(1);

    const e2 = new Engine({ dataDir: dir, residentExecutions: resident });
    expect(arns.every((a) => e2.describeExecution({ executionArn: a }).status === 'RUNNING')).toBe(true);
    await e2.advance(31);
    for (const a of arns) expect((await e2.waitForExecution(a)).status).toBe('SUCCEEDED');
    const h = e2.getExecutionHistory({ executionArn: arns[0], maxResults: 1000 }).events ?? [];
    expect(h.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ExecutionSucceeded',
    ]);
    await e2.close();
  });
});

describe('machine revisions', () => {
  it('keeps running executions on their definition across UpdateStateMachine and a restart', async () => {
    const dir = tempDir();
    const v1 = {
      StartAt: 'Old wait',
      States: {
        'Old wait': { Type: 'Wait', Seconds: 60, Next: 'Old end' },
        'Old end': { Type: 'Pass', Result: 'v1', End: true },
      },
    };
    const v2 = { StartAt: 'New', States: { New: { Type: 'Pass', Result: 'v2', End: true } } };
    const e1 = new Engine({ dataDir: dir });
    const { stateMachineArn } = await e1.createStateMachine({ name: 'rev', definition: JSON.stringify(v1) });
    const { executionArn: first } = await e1.startExecution({ stateMachineArn, name: 'first' });
    await tick();
    const u = await e1.updateStateMachine({ stateMachineArn, definition: JSON.stringify(v2) });
    expect(u.updateDate).toBeInstanceOf(Date);
    expect(JSON.parse(e1.describeStateMachine({ stateMachineArn }).definition as string)).toEqual(v2);
    await e1.close();

    const e2 = new Engine({ dataDir: dir });
    try {
      const { executionArn: second } = await e2.startExecution({ stateMachineArn, name: 'second' });
      expect((await e2.waitForExecution(second as string)).output).toBe('"v2"');
      await e2.advance(61);
      expect((await e2.waitForExecution(first as string)).output).toBe('"v1"');
      await expect(
        e2.updateStateMachine({ stateMachineArn, definition: '{"StartAt":"X","States":{}}' }),
      ).rejects.toMatchObject({
        name: 'InvalidDefinition',
      });
    } finally {
      await e2.close();
    }
  });
});
