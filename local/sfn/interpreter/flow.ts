/**
 * The interpreter's shared machinery. An execution is a tree of threads: the root thread walks
 * the top-level graph, and a Parallel/Map state parks its thread ("kids" phase) while child
 * threads walk the branches. This layer moves a thread between states and handles the end of a
 * thread: success, Retry/Catch, failure propagating to the parent state or the execution.
 * fanout.ts adds Parallel/Map, runner.ts the state types and task lifecycle.
 */

import type { ExecRec, Machine, Store, Thread } from '../durability/store';
import type { ItemFeed } from '../integrations/item-reader';
import type { CState, Graph } from '../language/definition';
import { type Json, type JsonObject, StatesError } from '../language/types';
import { History } from './history';
import { findCatcher, retryDelay } from './retry-and-catch';

export interface RunnerHost {
  now(): number;
  machine(x: ExecRec): Machine;
  /** Wake the thread at `due` (engine clock ms); stale wake-ups are ignored by the runner. */
  timer(due: number, id: string): void;
  /** Start the task integration once the current batch is journaled. */
  dispatch(t: Thread, st: CState, params: Json): void;
  newToken(t: Thread): string;
  closeToken(token: string): void;
  finished(x: ExecRec): void;
  /** The ItemReader feed of a Distributed Map thread (opened on first use, also after a restart). */
  feed(x: ExecRec, t: Thread): ItemFeed;
  closeFeed(threadId: string): void;
  region: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export abstract class Flow {
  readonly queue: Thread[] = [];
  readonly history: History;
  private inputs = new WeakMap<ExecRec, Json>();

  constructor(
    protected readonly store: Store,
    protected readonly host: RunnerHost,
  ) {
    this.history = new History(store, () => host.now());
  }

  /** Completes a Parallel/Map state whose children are all done, or starts more of them. */
  abstract pump(x: ExecRec, t: Thread, st: CState): void;

  /** A Distributed Map unit ended: with its output, or with `err` when it failed. */
  protected abstract unitEnded(
    x: ExecRec,
    parent: Thread,
    st: CState,
    kid: Thread,
    output: Json,
    err: StatesError | null,
  ): void;

  graph(x: ExecRec, t: Thread): Graph {
    return this.host.machine(x).compiled.graphs[t.g] as Graph;
  }

  state(x: ExecRec, t: Thread): CState {
    const st = this.graph(x, t).states.get(t.s);
    if (!st) throw new Error(`unknown state ${t.s}`);
    return st;
  }

  /** The context object (`$$`), built only when a path asks for it. */
  context(x: ExecRec, t: Thread, extra?: JsonObject): Json {
    let input = this.inputs.get(x);
    if (input === undefined) {
      input = JSON.parse(x.input) as Json;
      this.inputs.set(x, input);
    }
    const m = this.host.machine(x);
    return {
      Execution: {
        Id: x.arn,
        Input: input,
        Name: x.name,
        RoleArn: m.roleArn,
        StartTime: iso(x.start),
        RedriveCount: x.redriveCount ?? 0,
        // "RedriveTime is only available if you've redriven an execution" (Context object doc,
        // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
        ...(x.redriveDate !== undefined ? { RedriveTime: iso(x.redriveDate) } : {}),
      },
      State: { EnteredTime: iso(t.en), Name: t.s, RetryCount: t.rc },
      StateMachine: { Id: m.arn, Name: m.name },
      ...(t.tok ? { Task: { Token: t.tok } } : {}),
      ...extra,
    };
  }

  /** Leaves the current state with `output`, to `next` (default: the state's Next) or the end. */
  exit(x: ExecRec, t: Thread, st: CState, output: Json, next: string | null = st.next): void {
    if (st.type !== 'Fail') this.history.exited(x, t, st.type, st.name, output);
    t.items = undefined;
    t.eff = undefined;
    t.mr = undefined;
    if (next === null) {
      this.finish(x, t, output);
      return;
    }
    t.s = next;
    t.in = output;
    t.ph = 'enter';
    this.store.touch(t);
  }

  /** The thread reached an end state. */
  private finish(x: ExecRec, t: Thread, output: Json): void {
    if (t.p !== undefined) {
      const parent = this.store.threads.get(t.p);
      const pst = parent && this.state(x, parent);
      if (parent && pst?.dist) {
        this.unitEnded(x, parent, pst, t, output, null);
        return;
      }
      t.ph = 'done';
      t.out = output;
      this.store.touch(t);
      if (!parent || !pst) return;
      if (pst.type === 'Map')
        this.history.emit(x, parent, 'MapIterationSucceeded', { name: pst.name, index: t.mi ?? 0 });
      this.pump(x, parent, pst);
      return;
    }
    this.dropTree(t);
    x.output = JSON.stringify(output);
    this.close(
      x,
      'SUCCEEDED',
      'ExecutionSucceeded',
      { output: x.output, outputDetails: { truncated: false } },
      t,
    );
  }

  /** An error in state `st`: Retry, then Catch, else the thread fails. */
  fail(x: ExecRec, t: Thread, st: CState, err: StatesError): void {
    if (err instanceof FailError || this.store.threads.get(t.id) !== t) {
      this.terminate(x, t, err);
      return;
    }
    t.ra ??= [];
    const delay = retryDelay(st.retriers, t.ra, err);
    if (delay !== null) {
      // A retried Parallel/Map runs all its branches again: the old children are done for.
      this.dropKids(t);
      t.rc++;
      this.store.touch(t);
      if (delay <= 0) {
        t.ph = 'run';
        return;
      }
      t.ph = 'retry';
      t.due = this.host.now() + delay;
      this.host.timer(t.due, t.id);
      return;
    }
    const c = findCatcher(st.catchers, err);
    if (c) {
      this.dropKids(t);
      let out: Json;
      try {
        out = c.merge(t.in, { Error: err.error, Cause: err.causeText });
      } catch (e) {
        this.terminate(x, t, asStatesError(e));
        return;
      }
      this.exit(x, t, st, out, c.next);
      return;
    }
    this.terminate(x, t, err);
  }

  /**
   * The thread fails for good: its parent state fails, or the execution does. Nothing is dropped
   * here: the failed thread and its still-running siblings keep their positions until the
   * parent's Retry or Catch handles the error (fail drops them then). When nothing does, the
   * execution fails with every position parked, and RedriveExecution resumes exactly the
   * unsuccessful branches, iterations and states (redrive.ts).
   */
  terminate(x: ExecRec, t: Thread, err: StatesError): void {
    if (t.tok) this.host.closeToken(t.tok);
    if (t.p !== undefined) {
      const parent = this.store.threads.get(t.p);
      const pst = parent && this.state(x, parent);
      if (parent && pst?.dist) {
        this.unitEnded(x, parent, pst, t, null, err);
        return;
      }
      if (!parent || !pst) {
        this.dropTree(t);
        return;
      }
      if (pst.type === 'Map')
        this.history.emit(x, parent, 'MapIterationFailed', { name: pst.name, index: t.mi ?? 0 });
      this.history.emit(x, parent, pst.type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
      this.fail(x, parent, pst, err instanceof FailError ? new StatesError(err.error, err.causeText) : err);
      this.queue.push(parent);
      return;
    }
    this.parkTree(t);
    const d: Record<string, string> = {};
    if (err.error) d.error = err.error;
    if (err.causeText) d.cause = err.causeText;
    x.error = err.error || undefined;
    x.cause = err.causeText || undefined;
    this.close(x, 'FAILED', 'ExecutionFailed', d, t);
  }

  close(
    x: ExecRec,
    status: ExecRec['st'],
    type: string,
    details: Record<string, unknown>,
    t: Thread | null,
  ): void {
    x.st = status;
    x.stop = this.host.now();
    x.to = undefined;
    this.history.emit(x, t, type, details);
    this.store.touchExec(x);
    this.host.finished(x);
  }

  /** Drops the children of a Parallel/Map thread whose error a Retry or Catch handles. */
  private dropKids(t: Thread): void {
    const kids = this.store.kids.get(t.id);
    if (!kids) return;
    for (const k of kids) if (k) this.dropTree(k);
    this.store.kids.delete(t.id);
    t.items = undefined;
    // Without children the thread is no longer waiting for them: should the Catch still fail
    // (its ResultPath), a redrive runs the whole state again.
    if (t.ph === 'kids') t.ph = 'run';
  }

  /**
   * Stops a thread tree that ended unsuccessfully without forgetting it: task tokens become
   * invalid and ItemReader feeds close, but every thread keeps its state, input and phase for
   * RedriveExecution (in-flight results are ignored: the execution is no longer RUNNING, and a
   * resumed task runs as a new attempt).
   */
  parkTree(t: Thread): void {
    for (const k of this.store.kids.get(t.id) ?? []) if (k) this.parkTree(k);
    if (t.tok) this.host.closeToken(t.tok);
    if (t.mr) this.host.closeFeed(t.id);
  }

  /** Removes a thread and all its descendants (closing their task tokens). */
  dropTree(t: Thread): void {
    for (const k of this.store.kids.get(t.id) ?? []) if (k) this.dropTree(k);
    if (t.tok) this.host.closeToken(t.tok);
    if (t.mr) this.host.closeFeed(t.id);
    this.store.dropThread(t);
  }
}

/** A Fail state's error: not retried or caught by the Fail state itself. */
export class FailError extends StatesError {
  constructor(error: string | undefined, cause: string | undefined) {
    super(error ?? '', cause ?? '');
  }
}

export function asStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  return new StatesError('States.Runtime', e instanceof Error ? e.message : String(e));
}
