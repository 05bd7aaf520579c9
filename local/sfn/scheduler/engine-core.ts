/**
 * The engine core: store, interpreter, journal, timers and task dispatch, composed (the API
 * facade, api/engine.ts, holds one). Scheduling model: API calls and task outcomes only change
 * state and queue work; `tick` runs the queue, journals the whole batch as one line, then starts
 * the task integrations the batch asked for.
 */
import type { EngineOptions } from '../api/engine-options';
import { StatusNotices } from '../api/status-notices';
import { Journal } from '../durability/journal';
import { recover } from '../durability/recovery';
import { Replay } from '../durability/replay';
import { Compactor, migrate } from '../durability/snapshot';
import { Store } from '../durability/store';
import { encodeToken } from '../durability/task-tokens';
import { ItemFeeds } from '../integrations/item-feeds';
import { TaskDispatcher } from '../integrations/task-dispatcher';
import { builtinResolver, type TaskResolver } from '../integrations/task-resources';
import type { Execution } from '../interpreter/execution';
import { Interpreter, type InterpreterHost } from '../interpreter/interpreter';
import { REDRIVABLE_PERIOD_MS } from '../interpreter/redrive';
import { compileMachine } from '../language/definition';
import { handleTimer } from './timer-actions';
import { redrivePeriodId, Timers } from './timers';

export class EngineCore {
  readonly region: string;
  readonly store: Store;
  readonly interpreter: Interpreter;
  readonly journal: Journal | null;
  readonly timers: Timers;
  readonly dispatcher: TaskDispatcher;
  private readonly compactor: Compactor | null = null;
  readonly feeds: ItemFeeds;
  readonly notices: StatusNotices;
  /** waitForExecution callers, by execution ARN. */
  readonly waiters = new Map<string, (() => void)[]>();
  private ticking = false;
  private closed = false;
  /** What callers of `journaled` share: the next commit, then durable; and its trigger. */
  private nextCommit: Promise<void> | null = null;
  private committed: (() => void) | null = null;

  constructor(options: EngineOptions, extraResolvers: TaskResolver[] = []) {
    this.region = options.region ?? 'eu-west-1';
    this.store = new Store(options.dataDir !== undefined, options.residentExecutions ?? 1_000);
    this.timers = new Timers(
      () => this.now(),
      () => {
        this.fireTimers();
        this.tick();
      },
    );
    this.interpreter = new Interpreter(this.store, this.interpreterHost());
    const resolvers = [...(options.resolvers ?? []), builtinResolver(options), ...extraResolvers];
    this.dispatcher = new TaskDispatcher({
      store: this.store,
      interpreter: this.interpreter,
      resolvers,
      maxConcurrentTasks: options.maxConcurrentTasks ?? 64,
      authorize: options.authorize,
      durable: () => this.journal?.sync() ?? null,
      changed: () => this.kick(),
      closed: () => this.closed,
    });
    this.feeds = new ItemFeeds({
      s3: options.s3,
      authorize: options.authorize,
      ready: (key, threadId) => this.itemsReady(key, threadId),
    });
    this.notices = new StatusNotices(
      this.store,
      () => this.journal?.sync() ?? Promise.resolve(),
      () => this.kick(),
    );
    if (options.onStatusChange) this.notices.listen(options.onStatusChange);
    if (options.dataDir === undefined) this.journal = null;
    else {
      const replay = new Replay(this.store, (definition) => compileMachine(JSON.parse(definition)));
      this.journal = Journal.open(options.dataDir, replay.visit, options.compactBytes);
      this.store.attach(this.journal);
      this.store.onLoad = () => this.kick();
      if (replay.legacy) migrate(this.store, this.journal, replay.legacy.executionsInOrder());
      this.compactor = new Compactor(this.store, this.journal, () => this.commit());
      recover(this);
    }
  }

  private interpreterHost(): InterpreterHost {
    return {
      region: this.region,
      now: () => this.now(),
      setTimer: (due, id) => this.timers.add(due, id),
      dispatchTask: (execution, thread) => this.dispatcher.schedule(execution, thread),
      issueToken: (_execution, thread) => encodeToken(thread.id, thread.attempt),
      executionClosed: (execution) => this.executionClosed(execution),
      itemFeed: (execution, thread) => this.feeds.feed(execution, thread),
      closeItemFeed: (threadId) => this.feeds.close(threadId),
    };
  }

  // ---------------------------------------------------------------- clock

  /** Engine time in ms: real time plus the persisted fast-forward offset. */
  now(): number {
    return Date.now() + this.store.clockOffset;
  }

  /** Fast-forwards the clock; every timer due by the new time fires, in due order. */
  async advance(seconds: number): Promise<void> {
    this.store.setClockOffset(this.store.clockOffset + seconds * 1000);
    // Timers set by states that ran because of earlier timers (Wait after Wait) may also be due
    // by the new time: keep firing until nothing due is left, so they fire in due order too.
    for (let i = 0; i < 10_000; i++) {
      this.fireTimers();
      this.tick();
      const next = this.timers.next();
      if (next === undefined || next > this.now()) break;
    }
    await this.journal?.sync();
  }

  private fireTimers(): void {
    for (const id of this.timers.popDue()) handleTimer(this, id);
    this.kick();
  }

  /** An execution closed (any status). */
  private executionClosed(execution: Execution): void {
    const record = execution.record;
    this.notices.record(execution);
    // An unsuccessful execution keeps its threads for RedriveExecution until the redrivable
    // period is over; then they are dropped to keep memory and snapshots small.
    if (record.status !== 'SUCCEEDED')
      this.timers.add((record.stopDate ?? this.now()) + REDRIVABLE_PERIOD_MS, redrivePeriodId(record.key));
    const waiting = this.waiters.get(record.arn);
    if (!waiting) return;
    this.waiters.delete(record.arn);
    for (const resolve of waiting) resolve();
  }

  private itemsReady(key: number, threadId: string): void {
    const execution = this.store.execution(key);
    const thread = execution?.threads.get(threadId);
    if (this.closed || !execution || !thread || thread.phase !== 'children') return;
    this.interpreter.pump(execution, thread);
    this.kick();
  }

  // ---------------------------------------------------------------- scheduling

  /** Runs what is runnable, journals the batch, and waits until it is durable. */
  async settle(): Promise<void> {
    this.tick();
    await this.journal?.sync();
  }

  /**
   * Resolves once the changes made so far are journaled by the next tick's commit and durable.
   * A start waits here rather than committing at once: the run that follows in that tick then
   * shares its commit (one history and one state line for start and run) and its fsync.
   */
  journaled(): Promise<void> {
    const journal = this.journal;
    this.kick();
    if (!journal) return Promise.resolve();
    if (this.closed) {
      this.commit();
      return journal.sync();
    }
    this.nextCommit ??= new Promise<void>((resolve) => {
      this.committed = resolve;
    }).then(() => journal.sync());
    return this.nextCommit;
  }

  kick(): void {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      this.tick();
    });
  }

  tick(): void {
    if (this.closed) return;
    this.interpreter.drain();
    this.commit();
    this.dispatcher.dispatchScheduled();
    if (this.interpreter.queue.length) this.kick();
    else this.store.evict();
    this.timers.arm();
  }

  /** Journals the changes since the last commit (per changed execution a history and a state line). */
  commit(): void {
    this.store.commit();
    this.committed?.();
    this.nextCommit = this.committed = null;
    // Status changes are announced once the line recording them is durable.
    if (this.notices.waiting) this.notices.committed();
    this.compactor?.maybeStart();
  }

  /**
   * Stops timers, announces what is durable and flushes the journal (with the announcement
   * watermark, so a clean restart repeats nothing). The engine is unusable afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.tick();
    this.closed = true;
    this.timers.stop();
    this.feeds.closeAll();
    await this.notices.flush();
    this.commit();
    await this.compactor?.idle();
    await this.journal?.close();
  }
}
