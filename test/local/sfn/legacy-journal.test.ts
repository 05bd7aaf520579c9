/**
 * A data directory written before executions had journal lines of their own (the fixture was
 * written by that engine: one line per commit, short keys) opens as it is: its executions go on
 * where they were, its tokens still answer, its histories are intact, and it is rewritten once
 * in today's format.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/index';
import { tempDirs } from '../../support/temp-dirs';

const fixture = join(__dirname, 'fixtures', 'legacy-journal');
const { arns, tokens } = JSON.parse(readFileSync(join(fixture, 'executions.json'), 'utf8')) as {
  arns: Record<'wait' | 'ask' | 'branches' | 'done', string>;
  tokens: Record<'ask' | 'branch', string>;
};
const tempDir = tempDirs('sfn-legacy-');

function copyOfFixture(): string {
  const dir = tempDir();
  cpSync(join(fixture, 'journal.0.log'), join(dir, 'journal.0.log'));
  return dir;
}

const allText = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');

describe('a journal in the earlier format', () => {
  it('opens, continues every execution and is rewritten once in the current format', async () => {
    const dir = copyOfFixture();
    const engine = new Engine({ dataDir: dir, residentExecutions: 1 });
    try {
      const status = (name: keyof typeof arns) =>
        engine.describeExecution({ executionArn: arns[name] }).status;
      expect([status('wait'), status('ask'), status('branches'), status('done')]).toEqual([
        'RUNNING',
        'RUNNING',
        'RUNNING',
        'SUCCEEDED',
      ]);
      expect(engine.describeExecution({ executionArn: arns.done }).output).toBe('{"finished":true}');
      const done = engine.getExecutionHistory({ executionArn: arns.done }).events ?? [];
      expect(done.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ]);
      // Rewritten: a snapshot in today's format, the earlier files gone.
      expect(readdirSync(dir).some((f) => /^snapshot\.\d+\.jsonl$/.test(f))).toBe(true);
      expect(readdirSync(dir)).not.toContain('journal.0.log');
      expect(allText(dir)).not.toContain('"st":"RUNNING"');

      await engine.sendTaskSuccess({ taskToken: tokens.ask, output: '"answered"' });
      expect((await engine.waitForExecution(arns.ask)).output).toBe('"answered"');
      await engine.sendTaskSuccess({ taskToken: tokens.branch, output: '"b"' });
      expect((await engine.waitForExecution(arns.branches)).output).toBe('["b","c"]');
    } finally {
      await engine.close();
    }
    // And the rewritten directory opens like any other.
    const again = new Engine({ dataDir: dir });
    try {
      expect(again.describeExecution({ executionArn: arns.ask }).output).toBe('"answered"');
      await again.advance(315_360_000 + 60);
      const waited = await again.waitForExecution(arns.wait);
      expect(waited).toMatchObject({ status: 'SUCCEEDED', output: '"waited"' });
      const events = again.getExecutionHistory({ executionArn: arns.wait }).events ?? [];
      expect(events.map((e) => e.id)).toEqual(events.map((_e, i) => i + 1));
      expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    } finally {
      await again.close();
    }
  });
});
