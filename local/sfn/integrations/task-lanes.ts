/**
 * The task calls waiting for a free slot (task-dispatcher.ts), one first-in first-out lane per thing
 * called: the Lambda function, else the integration's resource. Slots go to the lanes in turn. On AWS
 * each function scales on its own and a Distributed Map starts its next child as soon as one ends; one
 * queue for everything made a round's next batches (round-start-cases) wait behind the open-step calls
 * of every case the batches before had started, so the round ran in waves: 10 batches at once, then
 * none while the 600-1,000 calls queued ahead of them drained (bench:round, N=2000).
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

/** The lane of a call: `resource`, and for Lambda's the function it names (without a version or alias). */
export function laneOf(resource: unknown, parameters: Json | undefined): string {
  if (typeof resource !== 'string') return '';
  if (!resource.includes(':lambda:')) return resource;
  const name = (parameters as { FunctionName?: unknown } | null | undefined)?.FunctionName;
  return typeof name === 'string'
    ? `lambda ${name.replace(/^(arn:[^:]*:lambda:[^:]*:\d+:function:[^:]+):.*$/, '$1')}`
    : resource;
}
