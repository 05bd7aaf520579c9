/**
 * The interpreter: runs threads through their states. Everything synchronous (Pass, Choice,
 * paths, templates) runs in one go; a thread stops only at a Task, a Wait, a retry interval or
 * while its children run. Each state type lives in states/<type>.ts; this hub picks the module,
 * and is the one place the modules reach each other through (no module calls into another's
 * internals, no base class calls down; they know the hub as ports.ts's InterpreterHub). All
 * changes go through the store (ExecutionChanges), so the scheduler journals them after each batch.
 */
import type { Json, JsonObject } from '../language/json';
import { asStatesError, type StatesError } from '../language/states-errors';
import { childFailed, childSucceeded } from './children';
import { contextObject } from './context-object';
import type { Execution, Thread } from './execution';
import { History } from './history';
import type { ExecutionChanges, InterpreterHost, InterpreterHub, StateRun } from './ports';
import { handleError, retryDue } from './retry-and-catch';
import { runChoice } from './states/choice';
import { pumpDistributedMap, runDistributedMap, unitEnded } from './states/distributed-map';
import { runFail } from './states/fail';
import { pumpMap, runMap } from './states/map';
import { pumpParallel, runParallel } from './states/parallel';
import { runPass } from './states/pass';
import { runSucceed } from './states/succeed';
import { runTask, taskTimerFired } from './states/task';
import { runWait, waitElapsed } from './states/wait';

const RUNNERS: Record<string, (run: StateRun, input: Json) => void> = {
  Pass: runPass,
  Succeed: runSucceed,
  Fail: runFail,
  Choice: runChoice,
  Wait: runWait,
  Task: runTask,
  Parallel: runParallel,
  Map: (run, input) => (run.state.distributed ? runDistributedMap(run, input) : runMap(run, input)),
};

/**
 * The $$ builder of a run, made here rather than written into runOf's object literal: tsx (keepNames)
 * names a closure written as a property with one defineProperty call each time it is created,
 * and runOf runs for every state entered (~5% of the benchmark's CPU).
 */
function contextOf(execution: Execution, thread: Thread): (extra?: JsonObject) => Json {
  return (extra) => contextObject(execution, thread, extra);
}

export class Interpreter implements InterpreterHub {
  readonly queue: Thread[] = [];
  readonly history: History;

  constructor(
    readonly store: ExecutionChanges,
    readonly host: InterpreterHost,
  ) {
    this.history = new History(store, () => host.now());
  }

  runOf(execution: Execution, thread: Thread, state = execution.stateOf(thread)): StateRun {
    return { interpreter: this, execution, thread, state, context: contextOf(execution, thread) };
  }

  /** Runs queued threads until the queue is empty or the budget is used up. */
  drain(budget = 5000): void {
    while (budget-- > 0) {
      const thread = this.queue.shift();
      if (!thread) return;
      this.step(thread);
    }
  }

  private step(thread: Thread): void {
    for (let n = 0; n < 500; n++) {
      const execution = this.store.execution(thread.executionKey);
      if (!execution?.running || execution.threads.get(thread.id) !== thread) return;
      const run = this.runOf(execution, thread);
      if (thread.phase === 'enter') {
        thread.enteredAt = this.host.now();
        thread.retryCount = 0;
        thread.retryAttempts = undefined;
        thread.enteredEventId = this.history.entered(
          execution,
          thread,
          run.state.type,
          run.state.name,
          thread.input,
        );
        thread.phase = 'run';
        this.store.touchThread(execution, thread);
      }
      if (thread.phase !== 'run') return;
      try {
        const runner = RUNNERS[run.state.type];
        if (!runner) throw new Error(`Unsupported state type ${run.state.type}`);
        runner(run, run.state.inputPath(thread.input, run.context));
      } catch (e) {
        this.handleError(run, asStatesError(e));
      }
    }
    this.queue.push(thread);
  }

  /** A timer fired for a thread: a Wait is over, a retry is due, or a task timed out. */
  wake(execution: Execution, thread: Thread): void {
    if (!execution.running || execution.threads.get(thread.id) !== thread) return;
    const now = this.host.now();
    const due = thread.dueAt !== undefined && thread.dueAt <= now;
    if (thread.phase === 'wait' && due) waitElapsed(this.runOf(execution, thread));
    else if (thread.phase === 'retry' && due) retryDue(this.runOf(execution, thread));
    else if (thread.phase === 'task') taskTimerFired(this.runOf(execution, thread));
  }

  /** Retry, then Catch, else the thread fails (retry-and-catch.ts). */
  handleError(run: StateRun, error: StatesError): void {
    handleError(run, error);
  }

  /** A Parallel or Map waiting for its children: start more of them, or complete. */
  pump(execution: Execution, thread: Thread): void {
    const run = this.runOf(execution, thread);
    if (run.state.distributed) pumpDistributedMap(run);
    else if (run.state.type === 'Map') pumpMap(run);
    else pumpParallel(run);
  }

  childSucceeded(execution: Execution, child: Thread, output: Json): void {
    childSucceeded(this, execution, child, output);
  }

  childFailed(execution: Execution, child: Thread, error: StatesError): void {
    childFailed(this, execution, child, error);
  }

  unitEnded(
    execution: Execution,
    parent: Thread,
    unit: Thread,
    output: Json,
    error: StatesError | null,
  ): void {
    unitEnded(this.runOf(execution, parent), unit, output, error);
  }
}
