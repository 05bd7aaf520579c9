/**
 * Delayed work on the engine's clock (Lambda's async retries, EventBridge's delivery retries): an
 * entry runs when real time reaches it, or when the clock is fast-forwarded past it (`runDue`).
 * Kept in memory only: see AsyncLambda for why the queue is not written to disk.
 */
export class Scheduler {
  private entries: { due: number; run: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly now: () => number) {}

  get pending(): number {
    return this.entries.length;
  }

  at(due: number, run: () => void): void {
    if (this.stopped) return;
    this.entries.push({ due, run });
    this.entries.sort((a, b) => a.due - b.due);
    this.arm();
  }

  /** Runs every entry that is due by the (possibly fast-forwarded) clock. */
  runDue(): void {
    const now = this.now();
    while (this.entries.length > 0 && (this.entries[0]?.due ?? Number.POSITIVE_INFINITY) <= now) {
      (this.entries.shift() as { run: () => void }).run();
    }
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    const next = this.entries[0];
    if (!next || this.stopped) return;
    const delay = Math.min(Math.max(0, next.due - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => this.runDue(), delay);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.entries = [];
  }
}
