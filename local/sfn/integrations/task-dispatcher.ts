/**
 * Task dispatch: the integration calls the interpreter asked for, started once the batch that
 * scheduled them is journaled, through the resolvers (task-resources.ts), with their outcome
 * handed back to the interpreter (task-outcome.ts).
 */
import type { Execution, Thread } from '../interpreter/execution';
import type { Interpreter } from '../interpreter/interpreter';
import { taskFailed, taskSubmitted, taskSucceeded } from '../interpreter/task-outcome';
import type { Json } from '../language/json';
import { StatesError } from '../language/states-errors';
import { lambdaError, splitResource, type TaskCall, type TaskResolver } from './task-resources';

interface Dispatch {
  execution: Execution;
  thread: Thread;
  attempt: number;
}

export interface DispatcherHost {
  readonly interpreter: Interpreter;
  readonly resolvers: TaskResolver[];
  /** Resolves once everything journaled so far is durable; null in memory mode. */
  durable(): Promise<void> | null;
  /** An outcome was applied: run what became runnable. */
  changed(): void;
  closed(): boolean;
}

export class TaskDispatcher {
  private pending: Dispatch[] = [];

  constructor(private readonly host: DispatcherHost) {}

  /** The interpreter scheduled the thread's task (called during a batch). */
  schedule(execution: Execution, thread: Thread): void {
    this.pending.push({ execution, thread, attempt: thread.attempt });
  }

  /** After a commit: starts the tasks scheduled by the batch just journaled. */
  dispatchScheduled(): void {
    if (this.pending.length === 0) return;
    const list = this.pending;
    this.pending = [];
    const go = () => {
      for (const d of list) this.invoke(d);
    };
    // A callback task's token must be durable before anyone outside can see it. A Distributed
    // Map unit (quiet thread) waits too, so that after a crash at most MaxConcurrency units (the
    // durably running ones) can have started work that runs again.
    const durable = list.some((d) => d.thread.taskToken || d.thread.quiet) ? this.host.durable() : null;
    if (durable) void durable.then(go);
    else go();
  }

  private invoke({ execution, thread, attempt }: Dispatch): void {
    const { interpreter } = this.host;
    // The execution may have closed in the batch that scheduled the task (another branch failed):
    // then the task was never started and its integration is not called.
    if (
      !execution.running ||
      execution.threads.get(thread.id) !== thread ||
      thread.phase !== 'task' ||
      thread.attempt !== attempt
    )
      return;
    const { base, pattern } = splitResource(execution.stateOf(thread).resource as string);
    let handler: ((call: TaskCall) => Promise<Json>) | undefined;
    for (const resolve of this.host.resolvers) {
      handler = resolve(base);
      if (handler) break;
    }
    const call: TaskCall = {
      resource: base,
      parameters: thread.effectiveInput ?? null,
      token: thread.taskToken,
      executionArn: execution.record.arn,
      stateName: thread.state,
    };
    const run = handler
      ? Promise.resolve().then(() => (handler as NonNullable<typeof handler>)(call))
      : Promise.reject(new StatesError('States.TaskFailed', `Unsupported resource: ${base}`));
    run.then(
      (result) => {
        if (this.host.closed()) return;
        if (pattern === 'token') taskSubmitted(interpreter, execution, thread, attempt, result);
        else taskSucceeded(interpreter, execution, thread, attempt, result);
        this.host.changed();
      },
      (e: unknown) => {
        if (this.host.closed()) return;
        taskFailed(interpreter, execution, thread, attempt, e instanceof StatesError ? e : lambdaError(e));
        this.host.changed();
      },
    );
  }
}
