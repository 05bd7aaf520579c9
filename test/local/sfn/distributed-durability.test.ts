/**
 * Distributed Map durability: a child process runs a batched CSV map on a durable engine and is
 * SIGKILLed mid-map; a new engine on the same directory finishes the map. Batches recorded as
 * finished do not run again; only batches in flight at the kill (at most MaxConcurrency) may.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { tempDirs } from '../../support/temp-dirs';
import { BATCH, CONCURRENCY, mapS3, ROUND_INPUT, ROWS } from './fixtures/map-machine';

const tempDir = tempDirs('sfn-dmap-kill-');

interface ChildRun {
  executionArn: string;
  started: string[][];
  done: string[][];
}

/** Runs the child until `killAfter` batches are done, then SIGKILLs it. */
function runAndKill(dir: string, killAfter: number): Promise<ChildRun> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'map-child.ts'), dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const run: ChildRun = { executionArn: '', started: [], done: [] };
  let buf = '';
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('child never got far enough')), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, i)) as {
          executionArn?: string;
          start?: string[];
          done?: string[];
        };
        buf = buf.slice(i + 1);
        if (msg.executionArn) run.executionArn = msg.executionArn;
        if (msg.start) run.started.push(msg.start);
        if (msg.done) {
          run.done.push(msg.done);
          if (run.done.length === killAfter) child.kill('SIGKILL');
        }
      }
    });
    child.on('close', (_code, signal) => {
      clearTimeout(timeout);
      if (signal !== 'SIGKILL') reject(new Error(`child exited without SIGKILL (${signal})`));
      else resolve(run);
    });
  });
}

describe('Distributed Map durability across SIGKILL', () => {
  it('finishes the map after a restart without re-running finished batches', async () => {
    const dir = tempDir();
    const child = await runAndKill(dir, 15);
    const batches = ROWS / BATCH;
    expect(child.done.length).toBeGreaterThanOrEqual(15);
    expect(child.done.length).toBeLessThan(batches);

    const again: string[][] = [];
    const s3 = mapS3();
    const engine = new Engine({
      dataDir: dir,
      s3,
      invoke: async (_fn, payload) => {
        const p = payload as { BatchInput: unknown; Items: { reference: string }[] };
        expect(p.BatchInput).toEqual(ROUND_INPUT);
        again.push(p.Items.map((i) => i.reference));
        return { n: p.Items.length };
      },
    });
    try {
      const d = await engine.waitForExecution(child.executionArn);
      expect(d.status).toBe('SUCCEEDED');
      expect(JSON.parse(d.output as string)).toEqual({ ...ROUND_INPUT, finish: 'finished' });
      // The restarted engine re-opened the object and skipped what the child had handed out.
      expect(s3.reads).toBe(1);

      const key = (refs: string[]) => refs.join(',');
      // Only batches in flight at the kill (started, their end not yet journaled) may run again.
      const childStarted = new Set(child.started.map(key));
      const rerun = again.filter((b) => childStarted.has(key(b)));
      expect(rerun.length).toBeLessThanOrEqual(CONCURRENCY);
      // Every row was processed, in whole batches of the original layout, none by two new runs.
      const all = [...child.done, ...again];
      const refs = new Set(all.flat());
      expect(refs.size).toBe(ROWS);
      expect(new Set(again.map(key)).size).toBe(again.length);
      expect(all.flat().length - ROWS).toBeLessThanOrEqual(CONCURRENCY * BATCH);
      expect(again.length).toBeLessThan(batches);
    } finally {
      await engine.close();
    }
  });
});
