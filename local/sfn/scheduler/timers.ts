/**
 * The engine's timers: every wake-up (a Wait, a retry interval, a task timeout or heartbeat, an
 * execution timeout, the end of a redrivable period) is a (due, id) entry in one heap on the
 * engine clock, and one real setTimeout is armed for the earliest. Entries are never removed:
 * whoever handles a fired id checks whether it still matters, which keeps cancelling free.
 */
import { TimerHeap } from './timer-heap';

/** Timer ids: a thread id (`key.n`), `x<key>` (execution timeout) or `r<key>` (redrive period over). */
export const executionTimeoutId = (key: number) => `x${key}`;
export const redrivePeriodId = (key: number) => `r${key}`;

export class Timers {
  private readonly heap = new TimerHeap();
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly now: () => number,
    /** Called when the earliest timer is due (the engine pops and handles what is due). */
    private readonly onDue: () => void,
  ) {}

  get size(): number {
    return this.heap.size;
  }

  /** Due time (engine ms) of the earliest timer, if any. */
  next(): number | undefined {
    return this.heap.peek();
  }

  add(due: number, id: string): void {
    this.heap.push(due, id);
    if (due < this.armedFor) this.arm();
  }

  /** Removes and returns every id due by now, earliest first. */
  popDue(): string[] {
    return this.heap.popDue(this.now());
  }

  /** Arms the real timer for the earliest entry (after the clock moved or entries were popped). */
  arm(): void {
    const due = this.heap.peek();
    if (due === undefined || this.stopped) return;
    if (this.timer && due >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = due;
    const delay = Math.min(Math.max(0, due - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = Number.POSITIVE_INFINITY;
      this.onDue();
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
