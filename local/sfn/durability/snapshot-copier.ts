/**
 * The thread that writes a compaction's snapshot file (snapshot-worker.js): started at the first
 * compaction, one job at a time, ended with the engine. Copying the executions' lines (reading
 * them back from the journal, gathering and writing them) took about half of the engine's own
 * thread while a compaction ran; here it runs beside it, on another core.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SnapshotPlan } from './snapshot-plan';

const WORKER = join(__dirname, 'snapshot-worker.js');

interface Reply {
  id: number;
  bytes?: number;
  error?: string;
}

export class SnapshotCopier {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (bytes: number) => void; reject: (e: Error) => void }
  >();

  /** Writes the plan's lines to `path` and fsyncs it; resolves with the bytes written. */
  write(path: string, plan: SnapshotPlan): Promise<number> {
    const worker = this.thread();
    const id = this.nextId++;
    const lines = Float64Array.from(plan.lines);
    const files = Object.fromEntries(plan.files);
    // Like a file write in flight, a job keeps the process alive; an idle thread does not.
    worker.ref();
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, path, files, lines, texts: plan.texts }, [lines.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // Its own loader (plain JavaScript), not the host's.
    const worker = new Worker(WORKER, { execArgv: [] });
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error !== undefined) waiter?.reject(new Error(`snapshot thread: ${reply.error}`));
      else waiter?.resolve(reply.bytes as number);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`snapshot thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
