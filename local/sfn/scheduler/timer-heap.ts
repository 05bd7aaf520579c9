/**
 * A binary min-heap of (due, id) wake-ups, driven by one real setTimeout for the earliest entry.
 * Entries are never removed when a timer becomes irrelevant; the consumer re-checks the thread
 * when it fires, which keeps cancellation free.
 */
export class TimerHeap {
  private dues: number[] = [];
  private ids: string[] = [];

  get size(): number {
    return this.dues.length;
  }

  peek(): number | undefined {
    return this.dues[0];
  }

  push(due: number, id: string): void {
    const d = this.dues;
    const s = this.ids;
    let i = d.length;
    d.push(due);
    s.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((d[p] as number) <= due) break;
      d[i] = d[p] as number;
      s[i] = s[p] as string;
      i = p;
    }
    d[i] = due;
    s[i] = id;
  }

  /** Removes and returns every id due at or before `now`, earliest first. */
  popDue(now: number): string[] {
    const out: string[] = [];
    while (this.dues.length && (this.dues[0] as number) <= now) out.push(this.pop());
    return out;
  }

  private pop(): string {
    const d = this.dues;
    const s = this.ids;
    const top = s[0] as string;
    const lastD = d.pop() as number;
    const lastS = s.pop() as string;
    const n = d.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (d[r] as number) < (d[l] as number) ? r : l;
        if ((d[c] as number) >= lastD) break;
        d[i] = d[c] as number;
        s[i] = s[c] as string;
        i = c;
      }
      d[i] = lastD;
      s[i] = lastS;
    }
    return top;
  }
}
