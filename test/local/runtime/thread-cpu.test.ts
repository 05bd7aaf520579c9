import { describe, expect, it } from 'vitest';
import { ownThreadCpuMs } from '../../../local/runtime/thread-cpu';

const spin = (ms: number) => {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
};

describe('thread CPU from /proc', () => {
  it("counts the calling thread's own CPU, which busy work raises", () => {
    const before = ownThreadCpuMs() as number;
    spin(200);
    const after = ownThreadCpuMs() as number;
    // Ticks of 10 ms, and the machine is shared: at least half the spin, never more than wall time allows.
    expect(after - before).toBeGreaterThanOrEqual(100);
    expect(after - before).toBeLessThan(2000);
  });
});
