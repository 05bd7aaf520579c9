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
  /** Of the others, the helper threads (markHelperThreads), when marked. */
  helpersMs?: number;
}

/**
 * The threads the process has before the runtime starts, besides the main thread: V8's platform threads
 * (compilers and garbage collectors, shared by every isolate: the functions', dynalite's, the driver's)
 * and libuv's pool (the file system, the engine's fdatasync), and the TypeScript loader's thread. The
 * runtime's own threads (dynalite, the Lambda environments) and the driver start after them, so a thread's
 * id tells which kind it is.
 */
let helpers: Set<string> | undefined;

/** Marks the threads there are now as the helpers (bench-runtime.ts, before it starts the runtime). */
export function markHelperThreads(): void {
  try {
    helpers = new Set(readdirSync('/proc/self/task').filter((task) => task !== String(process.pid)));
  } catch {
    helpers = undefined; // no /proc: no thread figures at all
  }
}

const ticks = (task: string) => statMs(`/proc/self/task/${task}/stat`);

/** The CPU time so far, or undefined where there is no /proc. Threads that ended are not counted. */
export function threadCpu(): ThreadCpu | undefined {
  try {
    let othersMs = 0;
    let helpersMs = 0;
    for (const task of readdirSync('/proc/self/task')) {
      if (task === String(process.pid)) continue;
      try {
        const ms = ticks(task);
        othersMs += ms;
        if (helpers?.has(task)) helpersMs += ms;
      } catch {
        // the thread ended meanwhile
      }
    }
    return { mainMs: ticks(String(process.pid)), othersMs, ...(helpers && { helpersMs }) };
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

/** The CPU a part of the threads used between two readings, or undefined where either reading lacks it. */
export function cpuBetween(
  before: ThreadCpu | undefined,
  after: ThreadCpu | undefined,
  part: 'mainMs' | 'othersMs' | 'dynamoMs' | 'helpersMs',
): number | undefined {
  const was = before?.[part];
  const is = after?.[part];
  return was === undefined || is === undefined ? undefined : is - was;
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
  const dynamoMs = cpuBetween(before, after, 'dynamoMs');
  const helpersMs = cpuBetween(before, after, 'helpersMs');
  const dynamo =
    dynamoMs === undefined
      ? []
      : [
          `${ownCpuLine(label, dynamoMs, cases, 'DynamoDB')} (dynalite's thread: the requests served, counted in the other threads)`,
        ];
  const helpers =
    helpersMs === undefined
      ? []
      : [
          `${ownCpuLine(label, helpersMs, cases, "V8's and libuv's helpers")} (compilers and garbage collectors of every isolate, the file system pool)`,
        ];
  return [
    `  ${column(`${label}main thread`)}${per(after.mainMs - before.mainMs)} ms; other threads ${per(after.othersMs - before.othersMs)} ms (functions, DynamoDB, driver, V8 helpers; ended threads not counted)`,
    ...dynamo,
    ...helpers,
  ];
}
