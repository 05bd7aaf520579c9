/**
 * The client of bench:local in a thread of its own. `npm start`'s runtime has its clients in other
 * processes; driving the cases (fetch, JSON, HMAC of the SMS webhook, the polls' timers) from the
 * runtime's own event loop would charge the client's work to the runtime. This thread runs `count`
 * cases, `width` at a time, and reports each outcome and, at the end, the latency samples.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ownThreadCpuMs } from '../local/runtime/thread-cpu';
import { CaseDriver, type DriverOptions, Samples } from './local-case';

export interface DriverJob {
  options: Omit<DriverOptions, 'signal'>;
  /** The number of the job's first case (it names the case and its citizen's phone). */
  first: number;
  count: number;
  width: number;
}

export type DriverMessage =
  | { type: 'case'; ok: true }
  | { type: 'case'; ok: false; error: string; cut: boolean }
  | { type: 'done'; samples: [string, number[]][]; cpuMs: number | undefined };

const port = parentPort;
if (!port) throw new Error('local-driver.ts runs in a worker thread');
const job = workerData as DriverJob;
const stop = new AbortController();
port.on('message', (m: { type: 'stop' }) => {
  if (m.type === 'stop') stop.abort();
});
const samples = new Samples();
const cpuAtStart = ownThreadCpuMs();
const driver = new CaseDriver({ ...job.options, signal: stop.signal }, samples);

let next = 0;
const lane = async () => {
  while (next < job.count && !stop.signal.aborted) {
    const i = job.first + next++;
    try {
      await driver.run(i);
      port.postMessage({ type: 'case', ok: true } satisfies DriverMessage);
    } catch (e) {
      const error = (e as Error).message;
      port.postMessage({ type: 'case', ok: false, error, cut: stop.signal.aborted } satisfies DriverMessage);
    }
  }
};
void Promise.all(Array.from({ length: Math.min(job.width, job.count) }, lane)).then(() =>
  port.postMessage({
    type: 'done',
    samples: [...samples.byLabel],
    // The client's own work, which a client in another process would not take from the runtime.
    cpuMs: cpuMsSince(cpuAtStart),
  } satisfies DriverMessage),
);

function cpuMsSince(start: number | undefined): number | undefined {
  const now = ownThreadCpuMs();
  return start === undefined || now === undefined ? undefined : now - start;
}
