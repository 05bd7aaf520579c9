/**
 * Starts of a durable engine waiting for the tick that begins them. StartExecution checks its
 * request and queues the start; the next tick begins it (record, first event, root thread), runs
 * it and journals both in one commit, and the caller is answered once that commit is durable.
 *
 * Why queue rather than begin at once: when the journal is idle and a tick finds many starts
 * (callers that restart as soon as their previous start was answered arrive together), the tick
 * begins only half of them. Its commit goes to disk while the next tick runs the other half, so
 * that half's CPU overlaps the first half's fsync instead of both waiting for one fsync after the
 * other (group commit pipelining). Once split, the two halves stay out of step: each is answered,
 * and starts again, while the other one's commit is being written.
 */
import type { Journal } from '../durability/journal';
import type { Execution } from '../interpreter/execution';

/** What callers waiting for the next commit share: that commit, then the journal's sync. */
export class NextCommit {
  private promise: Promise<void> | null = null;
  private resolve: (() => void) | null = null;

  durable(journal: Journal): Promise<void> {
    this.promise ??= new Promise<void>((resolve) => {
      this.resolve = resolve;
    }).then(() => journal.sync());
    return this.promise;
  }

  committed(): void {
    this.resolve?.();
    this.promise = this.resolve = null;
  }
}

interface QueuedStart {
  arn: string;
  input: string;
  begin: () => Execution;
  done: Promise<Execution>;
  resolve: (began: Promise<Execution>) => void;
  reject: (error: unknown) => void;
}

export class StartQueue {
  private queued: QueuedStart[] = [];
  private readonly byArn = new Map<string, QueuedStart>();

  get length(): number {
    return this.queued.length;
  }

  /** The queued start of the execution `arn`, with its input and its answer. */
  find(arn: string): { input: string; done: Promise<Execution> } | undefined {
    return this.byArn.get(arn);
  }

  /** Queues a start; resolves with the execution once its beginning is durable. */
  add(arn: string, input: string, begin: () => Execution): Promise<Execution> {
    let resolve: QueuedStart['resolve'] = () => {};
    let reject: QueuedStart['reject'] = () => {};
    const done = new Promise<Execution>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const start = { arn, input, begin, done, resolve, reject };
    this.queued.push(start);
    this.byArn.set(arn, start);
    return done;
  }

  /**
   * Begins the queued starts, in order: all of them, or the first half when `split` (the journal
   * is idle, so the rest can run while this half's commit is written). `durable` resolves once
   * the commit that journals what was begun is on disk.
   */
  begin(split: boolean, durable: Promise<void>): void {
    const count = split ? Math.ceil(this.queued.length / 2) : this.queued.length;
    const due = this.queued.slice(0, count);
    this.queued = count === this.queued.length ? [] : this.queued.slice(count);
    for (const start of due) {
      this.byArn.delete(start.arn);
      try {
        const execution = start.begin();
        start.resolve(durable.then(() => execution));
      } catch (error) {
        start.reject(error);
      }
    }
  }
}
