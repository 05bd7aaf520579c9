/**
 * The client of bench:local in a thread of its own. `npm start`'s runtime has its clients in other
 * processes; driving the cases (fetch, JSON, HMAC of the SMS webhook, the polls' timers) from the
 * runtime's own event loop would charge the client's work to the runtime. The thread lives through
 * the bench's jobs (the warm-up, then the timed cases), so the timed cases start with a client as warm
 * as the runtime: a new thread compiles its fetch and driver code again. Each job runs `count` cases,
 * `width` at a time, and reports each outcome and, at the end, the latency samples.
 */
import { parentPort } from 'node:worker_threads';
import { ownThreadCpuMs } from '../local/runtime/thread-cpu';
import { CaseDriver, type DriverOptions, Samples } from './local-case';

export interface DriverJob {
  options: Omit<DriverOptions, 'signal'>;
  /** The number of the job's first case (it names the case and its citizen's phone). */
  first: number;
  count: number;
  width: number;
}

/** To the thread: run a job (one at a time), or cut the running one off. */
export type DriverCommand = { type: 'job'; job: DriverJob } | { type: 'stop' };

export type DriverMessage =
  | { type: 'case'; ok: true }
  | { type: 'case'; ok: false; error: string; cut: boolean }
  | { type: 'done'; samples: [string, number[]][]; cpuMs: number | undefined };

const port = parentPort;
if (!port) throw new Error('local-driver.ts runs in a worker thread');
let stop = new AbortController();
port.on('message', (m: DriverCommand) => {
  if (m.type === 'stop') stop.abort();
  else void run(m.job);
});

async function run(job: DriverJob): Promise<void> {
  stop = new AbortController();
  const signal = stop.signal;
  const samples = new Samples();
  const cpuAtStart = ownThreadCpuMs();
  const driver = new CaseDriver({ ...job.options, signal }, samples);
  let next = 0;
  const lane = async () => {
    while (next < job.count && !signal.aborted) {
      const i = job.first + next++;
      try {
        await driver.run(i);
        post({ type: 'case', ok: true });
      } catch (e) {
        post({ type: 'case', ok: false, error: (e as Error).message, cut: signal.aborted });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.width, job.count) }, lane));
  // The client's own work, which a client in another process would not take from the runtime.
  post({ type: 'done', samples: [...samples.byLabel], cpuMs: cpuMsSince(cpuAtStart) });
}

function post(message: DriverMessage): void {
  port?.postMessage(message);
}

function cpuMsSince(start: number | undefined): number | undefined {
  const now = ownThreadCpuMs();
  return start === undefined || now === undefined ? undefined : now - start;
}
