/**
 * What the rest of the machine did while a bench timed itself: the CPU every process used (from
 * /proc/stat, Linux only), less this process's own, and the time the host gave the machine's cores to
 * another guest (steal). The machine is shared: with the same code, bench:local read 2.09x to 2.23x on
 * an idle machine and 2.75x to 2.80x with one other process keeping a core busy. A figure taken beside
 * such load says so, and a reader knows to run it again.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const MS_PER_TICK = 10;

export interface MachineCpu {
  /** Busy CPU of every process on the machine (user, nice, system, irq, softirq), ms. */
  busyMs: number;
  /** CPU the host gave to others while this machine's cores wanted it, ms. */
  stealMs: number;
}

/** The `cpu` line of /proc/stat, the sum over all cores: user nice system idle iowait irq softirq steal. */
export function parseProcStat(text: string): MachineCpu | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq].map((v) => v ?? 0).reduce((a, b) => a + b, 0);
  if (Number.isNaN(busy)) return undefined;
  return { busyMs: busy * MS_PER_TICK, stealMs: (steal ?? 0) * MS_PER_TICK };
}

/** The machine's CPU so far, or undefined where there is no /proc/stat. */
export function machineCpu(): MachineCpu | undefined {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

export interface MachineLoad {
  /** Cores' worth of CPU that other processes used over the stretch (0.5: half a core, all along). */
  otherCores: number;
  /** Cores' worth of CPU the host took for other guests. */
  stealCores: number;
  cores: number;
}

/** The load beside this process over a stretch of `wallMs`, in which it used `ownCpuMs` itself. */
export function machineLoad(
  before: MachineCpu | undefined,
  after: MachineCpu | undefined,
  ownCpuMs: number,
  wallMs: number,
): MachineLoad | undefined {
  if (!before || !after || wallMs <= 0) return undefined;
  // /proc/stat counts in ticks and the process in microseconds: a small negative is rounding.
  const others = Math.max(0, after.busyMs - before.busyMs - ownCpuMs);
  return {
    otherCores: others / wallMs,
    stealCores: (after.stealMs - before.stealMs) / wallMs,
    cores: cpus().length,
  };
}

/** Beyond this, the bench's figures were taken beside other work: a tenth of a core, all along. */
const BUSY_BESIDE = 0.1;

/** The report's line: what the rest of the machine took, and whether that makes the figures doubtful. */
export function machineLoadLine(
  load: MachineLoad | undefined,
  name = 'machine meanwhile',
  width = 24,
): string {
  const label = name.padEnd(Math.max(width, name.length + 1));
  if (!load) return `${label}unknown (no /proc/stat)`;
  const taken = load.otherCores + load.stealCores;
  const verdict =
    taken > BUSY_BESIDE
      ? 'BUSY: another process or the host took CPU from the run; its figures read high, run it again'
      : 'quiet';
  return `${label}other processes ${load.otherCores.toFixed(2)} and the host (steal) ${load.stealCores.toFixed(2)} of ${load.cores} cores: ${verdict}`;
}
