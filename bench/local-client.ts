/**
 * bench:local's client thread from the bench's side: starts local-driver.ts once, gives it one job at a
 * time, passes each case's outcome on as it comes, and gives the latency samples and the thread's CPU
 * when a job is done.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DriverCommand, DriverJob, DriverMessage } from './local-driver';

export type CaseOutcome = Exclude<DriverMessage, { type: 'done' }>;
export type DriverDone = Extract<DriverMessage, { type: 'done' }>;

export interface DriverJobRun {
  /** The job's end: every case run (or cut off by `halt`). */
  finished: Promise<DriverDone>;
  /** Asks the thread to start no more cases of the job and cut the running ones off. */
  halt(): void;
}

export interface DriverThread {
  /** Runs a job; one at a time. `deadline` aborted halts it, as `halt` does. */
  run(job: DriverJob, deadline: AbortSignal, onCase: (outcome: CaseOutcome) => void): DriverJobRun;
  /** Ends the thread; after the last job, and after its CPU was read (/proc forgets an ended thread). */
  close(): Promise<number>;
}

export function startDriver(): DriverThread {
  const thread = new Worker(join(__dirname, 'local-driver.js'), { execArgv: [] });
  const send = (command: DriverCommand) => thread.postMessage(command);
  let failed: Error | undefined;
  let current: ((m: DriverMessage) => void) | undefined;
  let broken: ((e: Error) => void) | undefined;
  thread.on('error', (e) => {
    failed = e;
    broken?.(e);
  });
  thread.on('message', (m: DriverMessage) => current?.(m));
  return {
    run(job, deadline, onCase) {
      if (current) throw new Error('the driver runs one job at a time');
      const halt = () => send({ type: 'stop' });
      const finished = new Promise<DriverDone>((ok, fail) => {
        if (failed) return fail(failed);
        broken = fail;
        current = (m) => (m.type === 'done' ? ok(m) : onCase(m));
        deadline.addEventListener('abort', halt);
        send({ type: 'job', job });
        if (deadline.aborted) halt();
      }).finally(() => {
        current = undefined;
        broken = undefined;
        deadline.removeEventListener('abort', halt);
      });
      return { finished, halt };
    },
    close: () => thread.terminate(),
  };
}
