/**
 * Issue 13 item 2: the engine is SIGKILLed in the middle of a 10,000-row round; a new engine on
 * the same directory finishes it. Every row's case exists exactly once, and every case, waiting
 * on its task token (most of them on disk, not in memory), is still answerable.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../local/sfn/api/engine';
import { tempDirs } from '../../support/temp-dirs';
import { CASE_MACHINE, type Report, ROUND_EXECUTION, ROWS, roundEngine } from './fixtures/round-kill';

const tempDir = tempDirs('sfn-round-kill-');

/** Runs the child until `killAfter` cases were started, then SIGKILLs it; returns its reports. */
function runAndKill(dir: string, killAfter: number): Promise<Report[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'round-kill-child.ts'), dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const reports: Report[] = [];
  let started = 0;
  let buffer = '';
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('the child never got far enough')), 90_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const report = JSON.parse(buffer.slice(0, i)) as Report;
        buffer = buffer.slice(i + 1);
        reports.push(report);
        if ('started' in report && ++started === killAfter) child.kill('SIGKILL');
      }
    });
    child.on('close', (_code, signal) => {
      clearTimeout(timeout);
      if (signal === 'SIGKILL') resolve(reports);
      else reject(new Error(`the child exited without SIGKILL (${signal})`));
    });
  });
}

/** Every execution of a machine (all pages). */
function executionsOf(engine: Engine, stateMachineArn: string) {
  const all = [];
  let nextToken: string | undefined;
  do {
    const page = engine.listExecutions({ stateMachineArn, maxResults: 1000, nextToken });
    all.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

describe('a round killed midway', () => {
  it('starts every row exactly once after a restart, and every waiting case stays answerable', async () => {
    const dir = tempDir();
    const before = await runAndKill(dir, 3000);
    const startedBefore = new Set(before.flatMap((r) => ('started' in r ? [r.started] : [])));
    expect(startedBefore.size).toBeGreaterThanOrEqual(3000);
    expect(startedBefore.size).toBeLessThan(ROWS);

    const tokens = new Map<string, string>();
    for (const r of before) if ('token' in r) tokens.set(r.reference, r.token);
    const engine = roundEngine(dir, (r) => {
      if ('token' in r) tokens.set(r.reference, r.token);
    });
    try {
      const finished = await engine.waitForExecution(ROUND_EXECUTION);
      expect(finished.status).toBe('SUCCEEDED');

      const cases = executionsOf(engine, CASE_MACHINE);
      expect(cases).toHaveLength(ROWS);
      expect(new Set(cases.map((c) => c.name)).size).toBe(ROWS);
      // A durable engine keeps only some executions in memory: the rest wait on disk.
      expect(engine.stats().resident).toBeLessThan(ROWS);

      for (let i = 0; i < 600 && tokens.size < ROWS; i++) await new Promise((r) => setTimeout(r, 50));
      expect(tokens.size).toBe(ROWS);
      const answers = [...tokens.entries()];
      for (let i = 0; i < answers.length; i += 500) {
        await Promise.all(
          answers
            .slice(i, i + 500)
            .map(([reference, taskToken]) =>
              engine.sendTaskSuccess({ taskToken, output: JSON.stringify({ answered: reference }) }),
            ),
        );
      }
      const succeeded = executionsOf(engine, CASE_MACHINE).filter((c) => c.status === 'SUCCEEDED');
      expect(succeeded).toHaveLength(ROWS);
    } finally {
      await engine.close();
    }
  }, 180_000);
});
