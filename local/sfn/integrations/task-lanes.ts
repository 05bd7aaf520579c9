/**
 * The task calls waiting for a free slot (task-dispatcher.ts), one first-in first-out lane per thing
 * called (the Lambda function, else the integration's resource) and per caller of StartExecution
 * (the access key its request was signed with: each function has its own). Slots go to the lanes in
 * turn. On AWS each function scales on its own and a Distributed Map starts its next child as soon
 * as one ends; one queue for everything made a round's next batches (round-start-cases) wait behind
 * the open-step calls of every case the batches before had started, so the round ran in waves
 * (bench:round, N=2000). And a case a caseworker starts during a big round gets its own lane for
 * its open-step calls: in the round's, its invitation waited behind every household's still queued
 * (the round's cases are started by round-start-cases, the caseworker's by create-case).
 */
import type { Json } from '../language/json';
import { TicketQueue } from './ticket-queue';

export class TaskLanes<T> {
  private readonly lanes = new Map<string, TicketQueue<T>>();
  /** Lanes with waiting calls, in the order they get their next slot. */
  private readonly turns: string[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(lane: string, item: T): void {
    let queue = this.lanes.get(lane);
    if (!queue) {
      queue = new TicketQueue<T>();
      this.lanes.set(lane, queue);
    }
    if (queue.length === 0) this.turns.push(lane);
    queue.push(item);
    this.count++;
  }

  /** The oldest call of the lane whose turn it is; that lane goes to the back of the line. */
  shift(): T | undefined {
    const lane = this.turns.shift();
    if (lane === undefined) return undefined;
    const queue = this.lanes.get(lane) as TicketQueue<T>;
    const item = queue.shift() as T;
    this.count--;
    if (queue.length > 0) this.turns.push(lane);
    else this.lanes.delete(lane);
    return item;
  }
}

/**
 * The lane of a call: `resource`, and for Lambda's the function it names (without a version or
 * alias), then who started the execution, if the engine knows.
 */
export function laneOf(resource: unknown, parameters: Json | undefined, startedBy?: string): string {
  const called = calledOf(resource, parameters);
  return startedBy === undefined ? called : `${called} started by ${startedBy}`;
}

function calledOf(resource: unknown, parameters: Json | undefined): string {
  if (typeof resource !== 'string') return '';
  if (!resource.includes(':lambda:')) return resource;
  const name = (parameters as { FunctionName?: unknown } | null | undefined)?.FunctionName;
  return typeof name === 'string'
    ? `lambda ${name.replace(/^(arn:[^:]*:lambda:[^:]*:\d+:function:[^:]+):.*$/, '$1')}`
    : resource;
}
