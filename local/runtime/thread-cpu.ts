/**
 * A thread's own CPU time, from /proc (Linux only): process.cpuUsage() sums every thread of the
 * process, and Node 20 has no per-thread figure. The benchmarks ask it of the threads they start
 * (the DynamoDB thread, the driver) to say where a case's CPU went.
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const MS_PER_TICK = 10;

/** utime + stime of a /proc/.../stat file, in ms. */
export function statMs(file: string): number {
  // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = (readFileSync(file, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** The calling thread's own CPU time so far (ms), or undefined where there is no /proc. */
export function ownThreadCpuMs(): number | undefined {
  try {
    return statMs('/proc/thread-self/stat');
  } catch {
    return undefined;
  }
}
