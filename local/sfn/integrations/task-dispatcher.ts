/**
 * Task dispatch with back-pressure. The interpreter asks for an integration call while it runs a
 * batch; the call starts once that batch is journaled, and only while fewer than
 * `maxConcurrentTasks` calls are in flight: the rest wait in a queue that holds three fields
 * per task (execution key, thread id, attempt), so a round of 10,000 cases queues 20,000 small
 * tickets instead of 20,000 running invocations. The queue has a lane per function called and
 * per starter of the execution, and the lanes take turns (task-lanes.ts). A ticket names its
 * thread by key, so the execution may be evicted while it waits; it is loaded again to start the
 * call and to take the outcome (task-outcome.ts).
 */
import type { Store } from '../durability/store';
import type { Execution, Thread } from '../interpreter/execution';
import type { Interpreter } from '../interpreter/interpreter';
import { taskFailed, taskSubmitted, taskSucceeded } from '../interpreter/task-outcome';
import type { Json } from '../language/json';
import { splitResource } from '../language/resource-arns';
import { StatesError } from '../language/states-errors';
import { laneOf, TaskLanes } from './task-lanes';
import { type Authorize, permissionFor } from './task-permissions';
import { lambdaError, type TaskCall, type TaskResolver } from './task-resources';

export interface Ticket {
  executionKey: number;
  threadId: string;
  attempt: number;
  /** The call must wait until the batch is durable (a task token, or a Distributed Map unit). */
  durable: boolean;
}

export interface DispatcherHost {
  readonly store: Store;
  readonly interpreter: Interpreter;
  readonly resolvers: TaskResolver[];
  readonly maxConcurrentTasks: number;
  /** IAM for the calls made with the state machine's role (EngineOptions.authorize). */
  readonly authorize?: Authorize;
  /** Resolves once everything journaled so far is durable; null in memory mode. */
  durable(): Promise<void> | null;
  /** An outcome was applied: run what became runnable. */
  changed(): void;
  closed(): boolean;
}

export class TaskDispatcher {
  /** Tickets of the batch being journaled, each with its lane. */
  private scheduled: [string, Ticket][] = [];
  private readonly queue = new TaskLanes<Ticket>();
  /** Integration calls started and not returned yet. */
  inFlight = 0;

  constructor(private readonly host: DispatcherHost) {}

  get queued(): number {
    return this.queue.length + this.scheduled.length;
  }

  /** The interpreter scheduled the thread's task (called during a batch). */
  schedule(execution: Execution, thread: Thread): void {
    const durable = thread.taskToken !== undefined || thread.quiet === true;
    const lane = laneOf(
      execution.stateOf(thread).resource,
      thread.effectiveInput,
      execution.record.startedBy,
    );
    this.scheduled.push([
      lane,
      { executionKey: execution.record.key, threadId: thread.id, attempt: thread.attempt, durable },
    ]);
  }

  /** After a commit: the tasks scheduled by the batch just journaled may start. */
  dispatchScheduled(): void {
    if (this.scheduled.length === 0) return;
    const batch = this.scheduled;
    this.scheduled = [];
    // A callback task's token must be durable before anyone outside can see it. A Distributed
    // Map unit waits too, so that after a crash at most MaxConcurrency units (the durably
    // running ones) can have started work that runs again.
    const durable = batch.some(([, t]) => t.durable) ? this.host.durable() : null;
    if (durable) void durable.then(() => this.admit(batch));
    else this.admit(batch);
  }

  private admit(batch: [string, Ticket][]): void {
    for (const [lane, ticket] of batch) this.queue.push(lane, ticket);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.host.maxConcurrentTasks && !this.host.closed()) {
      const ticket = this.queue.shift();
      if (!ticket) return;
      this.start(ticket);
    }
  }

  /** The live task a ticket names, or null when it is over (closed, moved on, retried...). */
  private live(ticket: Ticket): { execution: Execution; thread: Thread } | null {
    const execution = this.host.store.execution(ticket.executionKey);
    const thread = execution?.threads.get(ticket.threadId);
    if (!execution?.running || !thread || thread.phase !== 'task' || thread.attempt !== ticket.attempt)
      return null;
    return { execution, thread };
  }

  private start(ticket: Ticket): void {
    // The execution may have closed in the batch that scheduled the task (another branch failed):
    // then the task was never started and its integration is not called.
    const task = this.live(ticket);
    if (!task) return;
    const { execution, thread } = task;
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
    const denial = handler && this.denial(execution, call);
    this.inFlight++;
    const run = denial
      ? Promise.reject(denial)
      : handler
        ? Promise.resolve().then(() => (handler as NonNullable<typeof handler>)(call))
        : Promise.reject(new StatesError('States.TaskFailed', `Unsupported resource: ${base}`));
    const interpreter = this.host.interpreter;
    run.then(
      (result) =>
        this.returned(ticket, (e, t) => {
          if (pattern === 'token') taskSubmitted(interpreter, e, t, ticket.attempt, result);
          else taskSucceeded(interpreter, e, t, ticket.attempt, result);
        }),
      (error: unknown) => {
        const failure = error instanceof StatesError ? error : lambdaError(error);
        this.returned(ticket, (e, t) => taskFailed(interpreter, e, t, ticket.attempt, failure));
      },
    );
  }

  /** The error of a call the state machine's role may not make (the call is then not made). */
  private denial(execution: Execution, call: TaskCall): StatesError | undefined {
    const authorize = this.host.authorize;
    const permission = authorize && permissionFor(call.resource, call.parameters, call.executionArn);
    if (!permission) return undefined;
    const decision = (authorize as Authorize)({
      roleArn: execution.machine.roleArn,
      executionArn: call.executionArn,
      stateName: call.stateName,
      action: permission.action,
      resource: permission.resource,
    });
    return decision.allowed ? undefined : permission.denied(decision.message);
  }

  /** The integration call returned: its slot is free, and its outcome goes to the task (if still live). */
  private returned(ticket: Ticket, apply: (execution: Execution, thread: Thread) => void): void {
    this.inFlight--;
    if (this.host.closed()) return;
    const task = this.live(ticket);
    if (task) {
      apply(task.execution, task.thread);
      this.host.changed();
    }
    this.pump();
  }
}
