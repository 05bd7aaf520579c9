/**
 * The executions a durable engine holds in memory, least recently used first. An execution that
 * waits is journaled, so it can be dropped from memory once more than `limit` are resident; the
 * store loads it again from its state lines when something wakes it.
 */
import type { Execution } from '../interpreter/execution';

export class ResidentExecutions {
  private readonly byKey = new Map<number, Execution>();
  /** The most recently used key (the interpreter uses one execution many times in a row). */
  private last = -1;

  constructor(private readonly limit: number) {}

  values(): IterableIterator<Execution> {
    return this.byKey.values();
  }

  add(key: number, execution: Execution): void {
    this.byKey.set(key, execution);
    this.last = key;
  }

  /** It was used: it is now the most recently used. */
  used(key: number, execution: Execution): void {
    if (key === this.last) return;
    this.last = key;
    this.byKey.delete(key);
    this.byKey.set(key, execution);
  }

  /** Drops the least recently used beyond the limit, but not those `keep` holds; returns their keys. */
  evict(keep: (key: number, execution: Execution) => boolean): number[] {
    const dropped: number[] = [];
    for (const [key, execution] of this.byKey) {
      if (this.byKey.size <= this.limit) break;
      if (keep(key, execution)) continue;
      this.byKey.delete(key);
      if (key === this.last) this.last = -1;
      dropped.push(key);
    }
    return dropped;
  }
}
