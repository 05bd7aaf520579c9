/**
 * The engine core: store, interpreter, journal, timers and task dispatch, composed (the API
 * facade, api/engine.ts, holds one). Scheduling model: API calls and task outcomes only change
 * state and queue work; `tick` begins queued starts, runs the queue, journals the whole batch
 * (per changed execution one history and one state line), then starts the task integrations
 * the batch asked for.
 */

import { Journal } from '../durability/journal';
import { Replay } from '../durability/replay';
import { Compactor, migrate } from '../durability/snapshot';
import { Store } from '../durability/store';
import { ItemFeeds } from '../integrations/item-feeds';
import { TaskDispatcher } from '../integrations/task-dispatcher';
import { builtinResolver, type TaskResolver } from '../integrations/task-resources';
import type { Execution } from '../interpreter/execution';
import { Interpreter } from '../interpreter/interpreter';
import { compileMachine } from '../language/definition';
import type { EngineOptions } from './engine-options';
import { interpreterHost } from './interpreter-host';
import { recover } from './recovery';
import { NextCommit, StartQueue } from './start-queue';
import { StatusNotices } from './status-notices';
import { advanceClock, fireDueTimers } from './timer-actions';
import { Timers } from './timers';

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
  readonly starts = new StartQueue();
  /** waitForExecution callers, by execution ARN. */
  readonly waiters = new Map<string, (() => void)[]>();
  private ticking = false;
  private closed = false;
  private readonly nextCommit = new NextCommit();

  constructor(options: EngineOptions, extraResolvers: TaskResolver[] = []) {
    this.region = options.region ?? 'eu-west-1';
    this.store = new Store(options.dataDir !== undefined, options.residentExecutions ?? 1_000);
    this.timers = new Timers(
      () => this.now(),
      () => {
        fireDueTimers(this);
        this.tick();
      },
    );
    this.interpreter = new Interpreter(this.store, interpreterHost(this));
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
      this.compactor = new Compactor(this.store, this.journal, () => this.commit(), options.compactSliceMs);
      recover(this);
    }
  }

  // ---------------------------------------------------------------- clock

  /** Engine time in ms: real time plus the persisted fast-forward offset. */
  now(): number {
    return Date.now() + this.store.clockOffset;
  }

  /** Fast-forwards the clock; every timer due by the new time fires, in due order. */
  advance(seconds: number): Promise<void> {
    return advanceClock(this, seconds);
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
   * Begins an execution through `begin` and resolves with it once that is durable. A durable
   * engine queues the start for the next tick (start-queue.ts), which begins and runs it: start
   * and run then share one commit (one history and one state line) and its fsync.
   */
  start(arn: string, input: string, begin: () => Execution): Promise<Execution> {
    if (!this.journal || this.closed) {
      const execution = begin();
      return this.journaled().then(() => execution);
    }
    this.kick();
    return this.starts.add(arn, input, begin);
  }

  /** Resolves once the changes made so far are journaled by the next tick's commit and durable. */
  journaled(): Promise<void> {
    const journal = this.journal;
    this.kick();
    if (!journal) return Promise.resolve();
    if (this.closed) {
      this.commit();
      return journal.sync();
    }
    return this.nextCommit.durable(journal);
  }

  /** Begins queued starts (half of them when `split`); they are durable after the next commit. */
  private beginStarts(split: boolean): void {
    if (this.journal && this.starts.length) this.starts.begin(split, this.nextCommit.durable(this.journal));
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
    // An idle journal writes at once: half the starts now, the rest while that is written.
    this.beginStarts(this.journal?.idle === true);
    this.interpreter.drain();
    this.commit();
    this.dispatcher.dispatchScheduled();
    if (this.interpreter.queue.length || this.starts.length) this.kick();
    else this.store.evict();
    this.timers.arm();
  }

  /** Journals the changes since the last commit (per changed execution a history and a state line). */
  commit(): void {
    this.store.commit();
    this.nextCommit.committed();
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
    this.beginStarts(false);
    this.tick();
    this.closed = true;
    this.timers.stop();
    this.feeds.closeAll();
    await this.notices.flush();
    this.commit();
    await this.compactor?.close();
    await this.journal?.close();
  }
}
