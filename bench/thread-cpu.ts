/**
 * CPU time of this process's main thread against all its other threads (the functions' workers, the
 * DynamoDB thread, the driver, V8's compiler and GC helpers, libuv's pool), from /proc (Linux only):
 * process.cpuUsage() sums them all, and Node 20 has no per-thread figure.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const MS_PER_TICK = 10;

export interface ThreadCpu {
  mainMs: number;
  othersMs: number;
}

function statMs(file: string): number {
  // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = (readFileSync(file, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

const ticks = (task: string) => statMs(`/proc/self/task/${task}/stat`);

/** The calling thread's own CPU time so far (ms), or undefined where there is no /proc. */
export function ownThreadCpuMs(): number | undefined {
  try {
    return statMs('/proc/thread-self/stat');
  } catch {
    return undefined;
  }
}

/** The CPU time so far, or undefined where there is no /proc. Threads that ended are not counted. */
export function threadCpu(): ThreadCpu | undefined {
  try {
    let othersMs = 0;
    for (const task of readdirSync('/proc/self/task')) {
      if (task === String(process.pid)) continue;
      try {
        othersMs += ticks(task);
      } catch {
        // the thread ended meanwhile
      }
    }
    return { mainMs: ticks(String(process.pid)), othersMs };
  } catch {
    return undefined;
  }
}

/** The bench's line: CPU per completed case of the main thread and of the others (none without /proc). */
export function threadCpuLines(
  before: ThreadCpu | undefined,
  after: ThreadCpu | undefined,
  cases: number,
  label = '',
) {
  if (!before || !after) return [];
  const per = (ms: number) => (ms / Math.max(1, cases)).toFixed(1);
  return [
    `  ${`${label}main thread`.padEnd(22)}${per(after.mainMs - before.mainMs)} ms; other threads ${per(after.othersMs - before.othersMs)} ms (functions, DynamoDB, driver, V8 helpers; ended threads not counted)`,
  ];
}
