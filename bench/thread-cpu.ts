/**
 * CPU time of this process's main thread against all its other threads (the functions' workers, the
 * DynamoDB thread, the driver, V8's compiler and GC helpers, libuv's pool), from /proc (Linux only):
 * process.cpuUsage() sums them all, and Node 20 has no per-thread figure.
 */
import { readdirSync } from 'node:fs';
import { statMs } from '../local/runtime/thread-cpu';

export interface ThreadCpu {
  mainMs: number;
  othersMs: number;
  /** Of the others, dynalite's thread (stretch.ts asks it), when known. */
  dynamoMs?: number;
}

const ticks = (task: string) => statMs(`/proc/self/task/${task}/stat`);

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

/** A line's label, padded to the figures' column (and a space past it, for a long label). */
const column = (text: string) => text.padEnd(Math.max(22, text.length + 1));

/** CPU per completed case, to one decimal. */
const perCase = (ms: number, cases: number) => (ms / Math.max(1, cases)).toFixed(1);

/** The bench's line for one thread's own part of the other threads' CPU (the DynamoDB thread, the driver). */
export function ownCpuLine(label: string, ms: number, cases: number, what: string): string {
  return `  ${column(`${label}of which ${what}`)}${perCase(ms, cases)} ms`;
}

/** The bench's line: CPU per completed case of the main thread and of the others (none without /proc). */
export function threadCpuLines(
  before: ThreadCpu | undefined,
  after: ThreadCpu | undefined,
  cases: number,
  label = '',
) {
  if (!before || !after) return [];
  const per = (ms: number) => perCase(ms, cases);
  const dynamo =
    before.dynamoMs === undefined || after.dynamoMs === undefined
      ? []
      : [
          `${ownCpuLine(label, after.dynamoMs - before.dynamoMs, cases, 'DynamoDB')} (dynalite's thread: the requests served, counted in the other threads)`,
        ];
  return [
    `  ${column(`${label}main thread`)}${per(after.mainMs - before.mainMs)} ms; other threads ${per(after.othersMs - before.othersMs)} ms (functions, DynamoDB, driver, V8 helpers; ended threads not counted)`,
    ...dynamo,
  ];
}
