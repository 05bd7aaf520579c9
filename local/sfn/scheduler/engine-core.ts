/**
 * The engine core: store, interpreter, journal, timers, task dispatch and recovery. `Engine`
 * (engine.ts) adds the Step Functions API on top. Scheduling model: API calls and async task
 * results only queue work; `tick` runs the queue, journals the whole batch as one line, then
 * starts the task integrations the batch asked for.
 */

import { type StatusListener, StatusNotices } from '../api/status-notices';
import { Journal } from '../durability/journal';
import { type ExecRec, type Machine, Store, type Thread } from '../durability/store';
import { encodeToken } from '../durability/task-tokens';
import { ItemFeed, type ObjectSource, readerError, readItems } from '../integrations/item-reader';
import {
  builtinResolver,
  lambdaError,
  splitResource,
  type TaskCall,
  type TaskHost,
  type TaskResolver,
} from '../integrations/task-resources';
import { REDRIVABLE_PERIOD_MS, resumeExecution } from '../interpreter/redrive';
import { Runner } from '../interpreter/runner';
import type { CState } from '../language/definition';
import { compileMachine } from '../language/definition';
import { type Json, StatesError } from '../language/types';
import { TimerHeap } from './timer-heap';

export interface EngineOptions extends TaskHost {
  /** Directory for the journal; undefined keeps everything in memory. */
  dataDir?: string;
  region?: string;
  /** Journal size that triggers a snapshot (bytes). */
  compactBytes?: number;
  /**
   * S3 objects for Distributed Map ItemReaders (arn:aws:states:::s3:getObject): the object's bytes
   * as a stream. Throw (e.g. NoSuchKey) when it does not exist; the Map fails with
   * States.ItemReaderFailed. Without it, ItemReader maps fail the same way.
   */
  s3?: ObjectSource;
  /**
   * Told of every execution status change (notices.ts). Given here, it also hears the changes
   * recovered from the journal that were never announced; `Engine.onStatusChange` adds more.
   */
  onStatusChange?: StatusListener;
}

interface Dispatch {
  t: Thread;
  attempt: number;
  st: CState;
  params: Json;
}

export class EngineCore {
  readonly region: string;
  protected readonly store: Store;
  protected readonly runner: Runner;
  protected readonly journal: Journal | null;
  protected readonly heap = new TimerHeap();
  protected readonly tokens = new Map<string, Thread>();
  protected readonly resolvers: TaskResolver[];
  protected readonly waiters = new Map<string, ((x: ExecRec) => void)[]>();
  protected readonly byMachine = new Map<string, ExecRec[]>();
  protected readonly notices: StatusNotices;
  private pending: Dispatch[] = [];
  private ticking = false;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Number.POSITIVE_INFINITY;
  private closed = false;
  /** Open ItemReader feeds by Map thread id (not persisted: re-opened after a restart). */
  private readonly feeds = new Map<string, ItemFeed>();
  private readonly s3: ObjectSource | undefined;

  constructor(options: EngineOptions = {}) {
    this.region = options.region ?? 'eu-west-1';
    this.s3 = options.s3;
    this.resolvers = [...(options.resolvers ?? []), builtinResolver(options)];
    this.store = new Store(options.dataDir !== undefined, (d) => compileMachine(JSON.parse(d)));
    this.runner = new Runner(this.store, {
      now: () => this.now(),
      machine: (x) => this.store.revisions.get(`${x.sm}#${x.rev ?? 0}`) as Machine,
      timer: (due, id) => this.addTimer(due, id),
      dispatch: (t, st, params) => this.pending.push({ t, attempt: t.at, st, params }),
      newToken: (t) => this.newToken(t),
      closeToken: (tok) => this.tokens.delete(tok),
      finished: (x) => this.finished(x),
      feed: (x, t) => this.feed(x, t),
      closeFeed: (id) => {
        this.feeds.get(id)?.close();
        this.feeds.delete(id);
      },
      region: this.region,
    });
    this.notices = new StatusNotices(
      this.store,
      () => this.journal?.sync() ?? Promise.resolve(),
      () => this.kick(),
    );
    if (options.onStatusChange) this.notices.listen(options.onStatusChange);
    this.journal =
      options.dataDir === undefined
        ? null
        : Journal.open(
            options.dataDir,
            (r) => this.store.apply(r),
            () => this.store.snapshot(),
            options.compactBytes,
          );
    if (this.journal) this.recover();
  }

  // ---------------------------------------------------------------- clock

  /** Engine time in ms: real time plus the persisted fast-forward offset. */
  now(): number {
    return Date.now() + this.store.offset;
  }

  /** Fast-forwards the clock; every timer due by the new time fires, in due order. */
  async advance(seconds: number): Promise<void> {
    this.store.setOffset(this.store.offset + seconds * 1000);
    // Timers set by states that ran because of earlier timers (Wait after Wait) may also be due
    // by the new time: keep firing until nothing due is left, so they fire in due order too.
    for (let i = 0; i < 10_000; i++) {
      this.fireTimers();
      this.tick();
      const next = this.heap.peek();
      if (next === undefined || next > this.now()) break;
    }
    await this.journal?.sync();
  }

  /** Due time (engine ms) of the earliest pending timer, if any. */
  nextTimer(): number | undefined {
    return this.heap.peek();
  }

  protected index(x: ExecRec): void {
    let l = this.byMachine.get(x.sm);
    if (!l) {
      l = [];
      this.byMachine.set(x.sm, l);
    }
    l.push(x);
  }

  /** An execution closed (any status). */
  private finished(x: ExecRec): void {
    this.notices.record(x);
    // An unsuccessful execution keeps its threads for RedriveExecution until the redrivable
    // period is over; then they are dropped to keep memory and snapshots small.
    if (x.st !== 'SUCCEEDED') this.addTimer((x.stop ?? this.now()) + REDRIVABLE_PERIOD_MS, `r${x.key}`);
    const l = this.waiters.get(x.arn);
    if (!l) return;
    this.waiters.delete(x.arn);
    for (const f of l) f(x);
  }

  private feed(x: ExecRec, t: Thread): ItemFeed {
    let f = this.feeds.get(t.id);
    if (f) return f;
    const src = t.mr?.src;
    const reader = this.runner.state(x, t).dist?.reader;
    f = new ItemFeed(
      async () => {
        if (!this.s3)
          throw readerError('the engine has no S3 (EngineOptions.s3) to read ItemReader objects from');
        if (!src || !reader) throw readerError('the Map has no ItemReader');
        let body: AsyncIterable<Uint8Array>;
        try {
          body = await this.s3.getObject(src.b, src.k);
        } catch (e) {
          throw readerError(`s3://${src.b}/${src.k}: ${e instanceof Error ? e.message : String(e)}`);
        }
        return readItems(body, reader.config)[Symbol.asyncIterator]();
      },
      t.mr?.rd ?? 0,
      () => {
        // The feed has items (or an error) now: let the Map launch more units.
        if (this.closed || this.store.threads.get(t.id) !== t || t.ph !== 'kids') return;
        this.runner.pump(x, t, this.runner.state(x, t));
        this.kick();
      },
    );
    this.feeds.set(t.id, f);
    return f;
  }

  private newToken(t: Thread): string {
    const tok = encodeToken(t.id, t.at);
    this.tokens.set(tok, t);
    return tok;
  }

  // ---------------------------------------------------------------- scheduling

  /** Runs what is runnable, journals the batch, and waits until it is durable. */
  protected async settle(): Promise<void> {
    this.tick();
    await this.journal?.sync();
  }

  protected kick(): void {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      this.tick();
    });
  }

  private tick(): void {
    if (this.closed) return;
    this.runner.drain();
    this.commit();
    if (this.pending.length) this.dispatchPending();
    if (this.runner.queue.length) this.kick();
    this.armTimer();
  }

  /** Appends the changes since the last commit to the journal (one line). */
  protected commit(): void {
    const line = this.store.commit();
    if (line && this.journal) this.journal.append(line);
    // Status changes are announced once the line recording them is durable.
    if (this.notices.waiting) this.notices.committed();
  }

  /**
   * Puts an unsuccessful execution back to RUNNING where it stopped (redrive.ts; the caller has
   * checked that it may). The change is journaled with the next commit.
   */
  protected redrive(x: ExecRec, token: string | undefined): void {
    const machine = this.store.revisions.get(`${x.sm}#${x.rev ?? 0}`) as Machine;
    resumeExecution(this.runner, this.store, x, machine, this.now(), token);
    if (x.to !== undefined) this.addTimer(x.to, `x${x.key}`);
    this.notices.record(x);
  }

  private dispatchPending(): void {
    const list = this.pending;
    this.pending = [];
    const go = () => {
      for (const d of list) this.invoke(d);
    };
    // A callback task's token must be durable before anyone outside can see it. A Distributed
    // Map unit (quiet thread) waits too, so that after a crash at most MaxConcurrency units (the
    // durably running ones) can have started work that runs again.
    if (this.journal && list.some((d) => d.t.tok || d.t.q)) void this.journal.sync().then(go);
    else go();
  }

  private invoke(d: Dispatch): void {
    const { t, attempt, st, params } = d;
    const x = this.store.execByKey.get(t.x);
    // The execution may have closed in the batch that scheduled the task (another branch failed):
    // then the task was never started and its integration is not called.
    if (x?.st !== 'RUNNING' || this.store.threads.get(t.id) !== t || t.ph !== 'task' || t.at !== attempt)
      return;
    const { base, pattern } = splitResource(st.resource as string);
    let handler: ((c: TaskCall) => Promise<Json>) | undefined;
    for (const r of this.resolvers) {
      handler = r(base);
      if (handler) break;
    }
    const token = t.tok;
    const run = handler
      ? Promise.resolve().then(() =>
          (handler as NonNullable<typeof handler>)({
            resource: base,
            parameters: params,
            token,
            executionArn: x.arn,
            stateName: t.s,
          }),
        )
      : Promise.reject(new StatesError('States.TaskFailed', `Unsupported resource: ${base}`));
    run.then(
      (res) => {
        if (this.closed) return;
        if (pattern === 'token') {
          if (t.ph !== 'task' || t.at !== attempt || this.store.threads.get(t.id) !== t) return;
          t.sub = true;
          this.store.touch(t);
          this.runner.history.emit(x, t, 'TaskSubmitted', {
            resourceType: base.split(':')[5] ?? 'lambda',
            resource: `${base.split(':')[6] ?? ''}.waitForTaskToken`,
            output: JSON.stringify(res),
            outputDetails: { truncated: false },
          });
        } else this.runner.taskSucceeded(t, attempt, res);
        this.kick();
      },
      (e: unknown) => {
        if (this.closed) return;
        this.runner.taskFailed(t, attempt, e instanceof StatesError ? e : lambdaError(e));
        this.kick();
      },
    );
  }

  // ---------------------------------------------------------------- timers

  protected addTimer(due: number, id: string): void {
    this.heap.push(due, id);
    if (due < this.timerDue) this.armTimer();
  }

  private armTimer(): void {
    const due = this.heap.peek();
    if (due === undefined || this.closed) return;
    if (this.timer && due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    const delay = Math.min(Math.max(0, due - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.fireTimers();
      this.tick();
    }, delay);
  }

  private fireTimers(): void {
    for (const id of this.heap.popDue(this.now())) {
      if (id.startsWith('r')) {
        this.prune(Number(id.slice(1)));
        continue;
      }
      if (id.startsWith('x')) {
        const x = this.store.execByKey.get(Number(id.slice(1)));
        if (x?.st !== 'RUNNING' || x.to === undefined || x.to > this.now()) continue;
        const root = this.store.threads.get(`${x.key}.0`);
        if (root) this.runner.parkTree(root);
        x.error = 'States.Timeout';
        this.runner.close(x, 'TIMED_OUT', 'ExecutionTimedOut', { error: 'States.Timeout' }, root ?? null);
        continue;
      }
      const t = this.store.threads.get(id);
      if (t) this.runner.wake(t);
    }
    this.kick();
  }

  /** Drops the parked threads of an execution whose redrivable period is over. */
  private prune(key: number): void {
    const x = this.store.execByKey.get(key);
    if (!x || x.st === 'RUNNING' || (x.stop ?? 0) + REDRIVABLE_PERIOD_MS > this.now()) return;
    const root = this.store.threads.get(`${key}.0`);
    if (root) this.runner.dropTree(root);
    this.kick();
  }

  // ---------------------------------------------------------------- recovery

  private recover(): void {
    this.store.rebuildIndexes();
    for (const x of [...this.store.execs.values()].sort((a, b) => a.key - b.key)) {
      this.index(x);
      if (x.st === 'RUNNING' && x.to !== undefined) this.heap.push(x.to, `x${x.key}`);
      else if (x.st !== 'RUNNING' && this.store.threads.has(`${x.key}.0`))
        this.heap.push((x.stop ?? 0) + REDRIVABLE_PERIOD_MS, `r${x.key}`);
    }
    this.notices.recovered(this.store.execs.values());
    for (const t of this.store.threads.values()) {
      const x = this.store.execByKey.get(t.x);
      if (x?.st !== 'RUNNING') continue;
      if (t.tok) this.tokens.set(t.tok, t);
      if (t.ph === 'enter' || t.ph === 'run') this.runner.queue.push(t);
      else if ((t.ph === 'wait' || t.ph === 'retry') && t.due !== undefined) this.heap.push(t.due, t.id);
      else if (t.ph === 'task') {
        if (t.to !== undefined) this.heap.push(t.to, t.id);
        if (t.hb !== undefined) this.heap.push(t.hb, t.id);
        // At-least-once: an integration whose call was not recorded as done is called again.
        if (!(t.tok && t.sub))
          this.pending.push({ t, attempt: t.at, st: this.runner.state(x, t), params: t.eff ?? null });
      } else if (t.ph === 'kids') this.runner.pump(x, t, this.runner.state(x, t));
    }
    this.kick();
  }

  /**
   * Stops timers, announces what is durable and flushes the journal (with the announcement
   * watermark, so a clean restart repeats nothing). The engine is unusable afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.tick();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const f of this.feeds.values()) f.close();
    this.feeds.clear();
    await this.notices.flush();
    this.commit();
    await this.journal?.close();
  }

  /** Counts for diagnostics and benchmarks. */
  stats(): {
    executions: number;
    running: number;
    /** Threads of running executions, and threads parked by unsuccessful ones (for redrive). */
    threads: number;
    parked: number;
    tokens: number;
    timers: number;
    /** ItemReader feeds reading from S3 right now (work in progress, like a running task). */
    reading: number;
  } {
    let running = 0;
    for (const x of this.store.execs.values()) if (x.st === 'RUNNING') running++;
    let parked = 0;
    for (const t of this.store.threads.values())
      if (this.store.execByKey.get(t.x)?.st !== 'RUNNING') parked++;
    let reading = 0;
    for (const f of this.feeds.values()) if (f.busy) reading++;
    return {
      reading,
      executions: this.store.execs.size,
      running,
      threads: this.store.threads.size - parked,
      parked,
      tokens: this.tokens.size,
      timers: this.heap.size,
    };
  }
}
