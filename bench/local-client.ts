/**
 * bench:local's client thread from the bench's side: starts local-driver.ts on a job, passes each case's
 * outcome on as it comes, and gives the latency samples and the thread's CPU when the job is done.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DriverJob, DriverMessage } from './local-driver';

export type CaseOutcome = Exclude<DriverMessage, { type: 'done' }>;
export type DriverDone = Extract<DriverMessage, { type: 'done' }>;

export interface DriverThread {
  /** The job's end: every case run (or cut off by `halt`). */
  finished: Promise<DriverDone>;
  /** Asks the thread to start no more cases and cut the running ones off. */
  halt(): void;
  /** Ends the thread; after `finished`, and after its CPU was read (/proc forgets an ended thread). */
  terminate(): Promise<number>;
}

/** Starts the job; `deadline` aborted halts it, as `halt` does. */
export function startDriver(
  job: DriverJob,
  deadline: AbortSignal,
  onCase: (outcome: CaseOutcome) => void,
): DriverThread {
  const thread = new Worker(join(__dirname, 'local-driver.js'), { workerData: job, execArgv: [] });
  const halt = () => thread.postMessage({ type: 'stop' });
  deadline.addEventListener('abort', halt);
  const finished = new Promise<DriverDone>((ok, fail) => {
    thread.on('error', fail);
    thread.on('message', (m: DriverMessage) => (m.type === 'done' ? ok(m) : onCase(m)));
  }).finally(() => deadline.removeEventListener('abort', halt));
  return { finished, halt, terminate: () => thread.terminate() };
}
