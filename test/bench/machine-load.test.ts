import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineCpu, machineLoad, machineLoadLine, parseProcStat } from '../../bench/machine-load';

// The first lines of a /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice.
const stat = (user: number, steal: number) =>
  `cpu  ${user} 2 30 9000 8 1 4 ${steal} 0 0\ncpu0 1 0 0 0 0 0 0 0 0 0\nintr 12 0\n`;

describe('the machine beside a bench', () => {
  it('reads the busy and stolen time of all cores from /proc/stat, in ms', () => {
    // busy: user 100 + nice 2 + system 30 + irq 1 + softirq 4 = 137 ticks; idle and iowait are not busy.
    expect(parseProcStat(stat(100, 5))).toEqual({ busyMs: 1370, stealMs: 50 });
    expect(parseProcStat('intr 12 0\n')).toBeUndefined();
  });

  it('reads this machine, where /proc/stat counts up', () => {
    const first = machineCpu();
    let spin = 0;
    for (let i = 0; i < 5e7; i++) spin += i;
    const second = machineCpu();
    expect(spin).toBeGreaterThan(0);
    expect(second?.busyMs).toBeGreaterThan(first?.busyMs ?? Number.POSITIVE_INFINITY);
  });

  it('leaves out what the bench used itself, and says what the others took in cores', () => {
    const before = parseProcStat(stat(100, 5));
    const after = parseProcStat(stat(500, 25)); // 4,000 ms more busy, 200 ms more stolen
    // Over 2,000 ms of wall time the bench used 3,000 ms itself: the others took 1,000 ms, half a core.
    const load = machineLoad(before, after, 3000, 2000);
    expect(load).toEqual({ otherCores: 0.5, stealCores: 0.1, cores: cpus().length });
    // Rounding between ticks and microseconds never reads as negative load.
    expect(machineLoad(before, after, 4100, 2000)?.otherCores).toBe(0);
    expect(machineLoad(undefined, after, 0, 2000)).toBeUndefined();
  });

  it('calls a run beside a tenth of a core or more busy, and one without quiet', () => {
    const busy = machineLoadLine({ otherCores: 0.08, stealCores: 0.05, cores: 2 });
    expect(busy).toMatch(
      /^machine meanwhile {7}other processes 0\.08 and the host \(steal\) 0\.05 of 2 cores: BUSY/,
    );
    expect(machineLoadLine({ otherCores: 0.03, stealCores: 0.01, cores: 2 })).toMatch(/cores: quiet$/);
    expect(machineLoadLine(undefined, 'machine in the round', 25)).toBe(
      'machine in the round     unknown (no /proc/stat)',
    );
  });
});
