/**
 * The interpreter: runs a thread's states. Everything synchronous (Pass, Choice, paths,
 * templates) runs in one go; a thread stops only at a Task, a Wait, a retry delay or while its
 * children run. All changes go through the Store, so the engine journals them after each batch.
 */

import type { ExecRec, Thread } from '../durability/store';
import { describeResource, isLambdaArn, splitResource } from '../integrations/task-resources';
import type { CState } from '../language/definition';
import { HeartbeatTimeout, type Json, runtimeError, StatesError } from '../language/types';
import { asStatesError, FailError } from './flow';
import { MapRuns } from './maprun';

export type { RunnerHost } from './flow';
export { asStatesError } from './flow';

export class Runner extends MapRuns {
  /** Runs queued threads until the queue is empty or the budget is used up. */
  drain(budget = 5000): void {
    while (budget-- > 0) {
      const t = this.queue.shift();
      if (!t) return;
      this.step(t);
    }
  }

  step(t: Thread): void {
    for (let n = 0; n < 500; n++) {
      if (this.store.threads.get(t.id) !== t) return;
      const x = this.store.execByKey.get(t.x);
      if (x?.st !== 'RUNNING') return;
      const st = this.state(x, t);
      if (t.ph === 'enter') {
        t.en = this.host.now();
        t.rc = 0;
        t.ra = undefined;
        t.ev = this.history.entered(x, t, st.type, st.name, t.in);
        t.ph = 'run';
        this.store.touch(t);
      }
      if (t.ph !== 'run') return;
      try {
        this.run(x, t, st);
      } catch (e) {
        this.fail(x, t, st, asStatesError(e));
      }
    }
    this.queue.push(t);
  }

  private run(x: ExecRec, t: Thread, st: CState): void {
    const ctx = () => this.context(x, t);
    const eff = st.inputPath(t.in, ctx);
    switch (st.type) {
      case 'Pass': {
        const res = st.result !== undefined ? st.result : st.parameters ? st.parameters(eff, ctx) : eff;
        this.exit(x, t, st, st.outputPath(st.resultPath(t.in, res), ctx));
        return;
      }
      case 'Succeed':
        this.exit(x, t, st, st.outputPath(eff, ctx));
        return;
      case 'Choice': {
        const hit = (st.choices ?? []).find((c) => c.test(eff, ctx));
        const next = hit?.next ?? st.defaultNext;
        if (next === undefined) {
          throw new StatesError('States.NoChoiceMatched', `No Matches! at state '${st.name}'`);
        }
        this.exit(x, t, st, st.outputPath(eff, ctx), next);
        return;
      }
      case 'Fail': {
        const error = st.failError?.(t.in, ctx);
        const cause = st.failCause?.(t.in, ctx);
        this.terminate(x, t, new FailError(error, cause));
        return;
      }
      case 'Wait': {
        const now = this.host.now();
        const due = (st.waitUntil as NonNullable<CState['waitUntil']>)(eff, ctx, now);
        const out = st.outputPath(eff, ctx);
        if (due <= now) {
          this.exit(x, t, st, out);
          return;
        }
        t.ph = 'wait';
        t.due = due;
        t.out = out;
        this.store.touch(t);
        this.host.timer(due, t.id);
        return;
      }
      case 'Task':
        this.startTask(x, t, st, eff);
        return;
      case 'Parallel':
        this.startParallel(x, t, st, st.parameters ? st.parameters(eff, ctx) : eff);
        return;
      case 'Map': {
        if (st.dist) {
          this.startRun(x, t, st, eff);
          return;
        }
        const items = (st.itemsPath as NonNullable<CState['itemsPath']>)(eff, ctx);
        if (!Array.isArray(items)) {
          throw runtimeError(
            `Invalid path '${'ItemsPath'}': the value at ItemsPath is not an array: ${JSON.stringify(items)}`,
          );
        }
        this.history.emit(x, t, 'MapStateStarted', { length: items.length });
        t.ph = 'kids';
        t.items = items;
        t.eff = eff;
        this.store.touch(t);
        this.pump(x, t, st);
        return;
      }
    }
    throw runtimeError(`Unsupported state type ${st.type}`);
  }

  private startTask(x: ExecRec, t: Thread, st: CState, eff: Json): void {
    const resource = st.resource as string;
    const { pattern } = splitResource(resource);
    t.at++;
    t.tok = pattern === 'token' ? this.host.newToken(t) : undefined;
    const ctx = () => this.context(x, t);
    const params = st.parameters ? st.parameters(eff, ctx) : eff;
    const now = this.host.now();
    const timeout = st.timeout?.(eff, ctx);
    const heartbeat = st.heartbeat?.(eff, ctx);
    t.ph = 'task';
    t.sub = false;
    t.eff = params;
    t.to = timeout ? now + timeout * 1000 : undefined;
    t.hb = heartbeat ? now + heartbeat * 1000 : undefined;
    t.hs = heartbeat;
    this.store.touch(t);
    if (t.to) this.host.timer(t.to, t.id);
    if (t.hb) this.host.timer(t.hb, t.id);
    if (isLambdaArn(resource)) {
      this.history.emit(x, t, 'LambdaFunctionScheduled', {
        resource,
        input: JSON.stringify(params),
        inputDetails: { truncated: false },
        ...(timeout ? { timeoutInSeconds: timeout } : {}),
      });
      this.history.emit(x, t, 'LambdaFunctionStarted');
    } else {
      const d = describeResource(resource);
      this.history.emit(x, t, 'TaskScheduled', {
        ...d,
        region: this.host.region,
        parameters: JSON.stringify(params),
        ...(timeout ? { timeoutInSeconds: timeout } : {}),
        ...(heartbeat ? { heartbeatInSeconds: heartbeat } : {}),
      });
      this.history.emit(x, t, 'TaskStarted', d);
    }
    this.host.dispatch(t, st, params);
  }

  /** Integration result for the task attempt `attempt` of thread `t` (ignored if stale). */
  taskSucceeded(t: Thread, attempt: number, result: Json): void {
    const live = this.liveTask(t, attempt);
    if (!live) return;
    const { x, st } = live;
    const resource = st.resource as string;
    this.leaveTask(t);
    if (isLambdaArn(resource)) {
      this.history.emit(x, t, 'LambdaFunctionSucceeded', {
        output: JSON.stringify(result),
        outputDetails: { truncated: false },
      });
    } else {
      this.history.emit(x, t, 'TaskSucceeded', {
        ...describeResource(resource),
        output: JSON.stringify(result),
        outputDetails: { truncated: false },
      });
    }
    try {
      const ctx = () => this.context(x, t);
      const res = st.resultSelector ? st.resultSelector(result, ctx) : result;
      this.exit(x, t, st, st.outputPath(st.resultPath(t.in, res), ctx));
    } catch (e) {
      this.fail(x, t, st, asStatesError(e));
    }
    this.queue.push(t);
  }

  taskFailed(t: Thread, attempt: number, err: StatesError, timedOut = false): void {
    const live = this.liveTask(t, attempt);
    if (!live) return;
    const { x, st } = live;
    const resource = st.resource as string;
    this.leaveTask(t);
    // An empty cause is left out, as AWS does for timeouts.
    const d = err.causeText ? { error: err.error, cause: err.causeText } : { error: err.error };
    if (isLambdaArn(resource)) {
      this.history.emit(x, t, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', d);
    } else {
      this.history.emit(x, t, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
        ...describeResource(resource),
        ...d,
      });
    }
    this.fail(x, t, st, err);
    this.queue.push(t);
  }

  /** A timer fired for thread `t`: Wait done, retry due, or task timeout/heartbeat expired. */
  wake(t: Thread): void {
    const x = this.store.execByKey.get(t.x);
    if (x?.st !== 'RUNNING' || this.store.threads.get(t.id) !== t) return;
    const now = this.host.now();
    if (t.ph === 'wait' && t.due !== undefined && t.due <= now) {
      const out = t.out ?? null;
      t.due = undefined;
      t.out = undefined;
      this.exit(x, t, this.state(x, t), out);
      this.queue.push(t);
    } else if (t.ph === 'retry' && t.due !== undefined && t.due <= now) {
      t.due = undefined;
      t.ph = 'run';
      this.store.touch(t);
      this.queue.push(t);
    } else if (t.ph === 'task' && t.to !== undefined && t.to <= now) {
      // AWS reports a task timeout as States.Timeout without a cause.
      this.taskFailed(t, t.at, new StatesError('States.Timeout', ''), true);
    } else if (t.ph === 'task' && t.hb !== undefined && t.hb <= now) {
      this.taskFailed(t, t.at, new HeartbeatTimeout(), true);
    }
  }

  private liveTask(t: Thread, attempt: number): { x: ExecRec; st: CState } | null {
    if (this.store.threads.get(t.id) !== t || t.ph !== 'task' || t.at !== attempt) return null;
    const x = this.store.execByKey.get(t.x);
    if (x?.st !== 'RUNNING') return null;
    return { x, st: this.state(x, t) };
  }

  private leaveTask(t: Thread): void {
    if (t.tok) this.host.closeToken(t.tok);
    t.tok = undefined;
    t.sub = undefined;
    t.to = undefined;
    t.hb = undefined;
    t.hs = undefined;
    t.eff = undefined;
    t.ph = 'run';
    this.store.touch(t);
  }
}
