import { performance } from 'node:perf_hooks';
import type { Runtime } from '../local/runtime/runtime';
import { callCounts } from './call-counts';
import { threadCpu } from './thread-cpu';

/**
 * One timed stretch of a bench (bench:local's cases; bench:round's baseline and round): the process's CPU
 * over all its threads, the wall time, each thread's CPU and the AWS calls made, from now until the returned
 * function is called. Every stretch is measured alike, so the figures of two stretches, or of two benches,
 * compare. Call it before a thread whose CPU should count ends: /proc forgets an ended thread.
 */
export function stretch(rt: Runtime) {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const threads = threadCpu();
  const calls = callCounts(rt);
  return () => {
    const used = process.cpuUsage(cpu);
    return {
      cpuMs: (used.user + used.system) / 1000,
      wallMs: performance.now() - wall,
      threads: { before: threads, after: threadCpu() },
      calls: { before: calls, after: callCounts(rt) },
    };
  };
}

export type Stretch = ReturnType<ReturnType<typeof stretch>>;
