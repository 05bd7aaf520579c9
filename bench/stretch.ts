import { performance } from 'node:perf_hooks';
import type { Runtime } from '../local/runtime/runtime';
import { callCounts } from './call-counts';
import { machineCpu, machineLoad } from './machine-load';
import { type ThreadCpu, threadCpu } from './thread-cpu';

/**
 * One timed stretch of a bench (bench:local's cases; bench:round's baseline and round): the process's CPU
 * over all its threads, the wall time, each thread's CPU and the AWS calls made, from now until the returned
 * function is called, and what the rest of the machine used meanwhile (machine-load.ts). Every stretch is
 * measured alike, so the figures of two stretches, or of two benches, compare. Call it before a thread whose
 * CPU should count ends: /proc forgets an ended thread.
 */
export async function stretch(rt: Runtime) {
  const threads = await threadsOf(rt);
  const machine = machineCpu();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const calls = callCounts(rt);
  return async () => {
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - wall;
    const machineAfter = machineCpu();
    const after = callCounts(rt);
    const cpuMs = (used.user + used.system) / 1000;
    return {
      cpuMs,
      wallMs,
      machine: machineLoad(machine, machineAfter, cpuMs, wallMs),
      threads: { before: threads, after: await threadsOf(rt) },
      calls: { before: calls, after },
    };
  };
}

/** Each thread's CPU so far, with the DynamoDB thread's own (which it reports over its port). */
async function threadsOf(rt: Runtime): Promise<ThreadCpu | undefined> {
  const stats = await rt.dynamo.threadStats();
  const threads = threadCpu();
  return threads && { ...threads, dynamoMs: stats?.cpuMs };
}

export type Stretch = Awaited<ReturnType<Awaited<ReturnType<typeof stretch>>>>;
