/**
 * The journal's group commit: lines appended are written as one batch and fdatasynced, so many
 * callers share one fsync. Up to two batches sync at once: a batch committed while the one
 * before is syncing goes to disk without waiting for that fsync to return (a slow disk would
 * otherwise add its latency twice). A batch's callers are answered once it and every batch
 * before it are on disk.
 */
import { fdatasync, find, type Line } from './journal-files';

export class GroupCommit {
  /** Appended and not yet written, and the sync() callers waiting for them. */
  private pending: Line[] = [];
  private waiters: ((error?: Error) => void)[] = [];
  /** Batches written whose fdatasync has not returned; resolves once all of them are on disk. */
  private syncing = 0;
  private synced: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failed: Error | null = null;

  /** `write` writes a batch (synchronously) and returns the descriptors to fdatasync. */
  constructor(private readonly write: (lines: Line[]) => Set<number>) {}

  add(line: Line): void {
    this.pending.push(line);
    this.kick();
  }

  /** The line at (fileId, offset) if it is not written yet. */
  unwritten(fileId: number, offset: number): Line | undefined {
    return find(this.pending, fileId, offset);
  }

  /** Resolves once everything appended so far is on disk. */
  sync(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.pending.length === 0)
      return this.syncing ? this.synced.then(() => this.check()) : Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push((error) => (error ? reject(error) : resolve()));
      this.kick();
    });
  }

  private check(): void {
    if (this.failed) throw this.failed;
  }

  /** Nothing is waiting to be written or being synced. */
  get idle(): boolean {
    return !this.scheduled && this.syncing === 0 && this.pending.length === 0;
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Writes the pending lines as one batch and fdatasyncs it (unless two batches are syncing). */
  private flush(): void {
    if (this.failed || this.pending.length === 0 || this.syncing >= 2) return;
    const lines = this.pending;
    const done = this.waiters;
    this.pending = [];
    this.waiters = [];
    let synced: Promise<unknown>;
    try {
      const fds = this.write(lines);
      synced = Promise.all([...fds].map(fdatasync));
    } catch (e) {
      synced = Promise.reject(e);
    }
    this.syncing++;
    const answer = (error?: Error) => {
      for (const w of done) w(error);
    };
    this.synced = this.synced
      .then(() => synced)
      .then(
        () => answer(this.failed ?? undefined),
        (e: unknown) => {
          this.failed ??= e as Error;
          console.error('[sfn journal] write failed', e);
          answer(this.failed);
          // Nothing is written after a failure: the lines waiting now never will be.
          for (const w of this.waiters.splice(0)) w(this.failed);
        },
      );
    const next = () => {
      this.syncing--;
      this.flush();
    };
    synced.then(next, next);
  }
}
