/**
 * What an execution is made of. Its record (status, dates, counters) and payloads (input, output,
 * error, cause), whose types are in execution-records.ts, and a tree of threads: the root thread
 * walks the top-level graph, and a Parallel or Map state waits in phase `children` while child
 * threads walk its branches or iterations. A thread is a position in a graph plus what the state
 * there needs to continue.
 */
import type { CompiledState, Graph } from '../language/definition';
import type { Json } from '../language/json';
import type { ExecutionPayloads, ExecutionRecord, MapRun, StateMachine } from './execution-records';

/**
 * enter: about to enter its state; run: runnable; wait: a Wait timer; retry: a retry interval;
 * task: a task integration running or waiting for its token; children: a Parallel/Map waiting
 * for its branches or iterations; done: a finished branch or iteration holding its output.
 */
export type Phase = 'enter' | 'run' | 'wait' | 'retry' | 'task' | 'children' | 'done';

export interface Thread {
  id: string;
  executionKey: number;
  graph: number;
  state: string;
  /** The raw state input. */
  input: Json;
  phase: Phase;
  enteredAt: number;
  retryCount: number;
  /** How often each retrier of the current state was used. */
  retryAttempts?: number[];
  /** Wait or retry due time. */
  dueAt?: number;
  /** A Wait's output (until due) or a finished branch's output. */
  output?: Json;
  taskToken?: string;
  /** A callback task's integration call returned (TaskSubmitted): only the token is awaited. */
  submitted?: boolean;
  timeoutAt?: number;
  heartbeatAt?: number;
  /** HeartbeatSeconds of the running task, to re-arm on SendTaskHeartbeat. */
  heartbeatSeconds?: number;
  /** Task attempts so far in this state: results of older attempts are ignored. */
  attempt: number;
  parentId?: string;
  /** Position among the parent's children (branch or iteration order). */
  slot?: number;
  mapIndex?: number;
  /** A Map's items while its iterations run. */
  items?: Json[];
  /** A task's Parameters result, or a Map's effective input. */
  effectiveInput?: Json;
  /** Last history event of this thread (events chain through previousEventId). */
  lastEventId: number;
  enteredEventId?: number;
  /** Progress of a Distributed Map run (on the Map's thread). */
  mapRun?: MapRun;
  /** Child of a Distributed Map (or below one): no events in the parent's history. */
  quiet?: boolean;
}

/**
 * The thread indexes of an execution that succeeded: shared and always empty, since nothing runs it
 * again. Two empty Maps were ~370 bytes of every finished execution an in-memory engine keeps.
 */
const NO_THREADS: ReadonlyMap<string, Thread> = new Map();
const NO_CHILDREN: ReadonlyMap<string, Thread[]> = new Map();

/** An execution in memory: its record, payloads and threads, on the revision it runs. */
export class Execution {
  private threadIndex = new Map<string, Thread>();
  private childIndex = new Map<string, Thread[]>();
  private parsedInput: Json | undefined;

  get threads(): ReadonlyMap<string, Thread> {
    return this.threadIndex;
  }

  /** Children of a Parallel/Map thread by slot (derived from the threads, not stored). */
  get children(): ReadonlyMap<string, Thread[]> {
    return this.childIndex;
  }

  constructor(
    readonly record: ExecutionRecord,
    public payloads: ExecutionPayloads,
    readonly machine: StateMachine,
  ) {}

  get running(): boolean {
    return this.record.status === 'RUNNING';
  }

  /** The execution input as a value ($$.Execution.Input), parsed on first use. */
  get inputValue(): Json {
    if (this.parsedInput === undefined) this.parsedInput = JSON.parse(this.payloads.input) as Json;
    return this.parsedInput;
  }

  rootThread(): Thread | undefined {
    return this.threads.get(`${this.record.key}.0`);
  }

  graph(thread: Thread): Graph {
    return this.machine.compiled.graphs[thread.graph] as Graph;
  }

  stateOf(thread: Thread): CompiledState {
    const state = this.graph(thread).states.get(thread.state);
    if (!state) throw new Error(`unknown state ${thread.state}`);
    return state;
  }

  /** Indexes a thread and, for a child, its slot under the parent. */
  addThread(thread: Thread): void {
    if (this.threadIndex === NO_THREADS)
      throw new Error(`execution ${this.record.arn} succeeded: no new threads`);
    this.threadIndex.set(thread.id, thread);
    if (thread.parentId === undefined) return;
    let slots = this.childIndex.get(thread.parentId);
    if (!slots) {
      slots = [];
      this.childIndex.set(thread.parentId, slots);
    }
    slots[thread.slot ?? 0] = thread;
  }

  removeThread(thread: Thread): void {
    this.threadIndex.delete(thread.id);
    this.childIndex.delete(thread.id);
  }

  /** A Parallel or Map thread is done with its children: their slots go (children.ts drops the threads). */
  dropChildSlots(threadId: string): void {
    this.childIndex.delete(threadId);
  }

  /** The execution succeeded and holds no thread: its indexes give way to the shared empty ones. */
  succeeded(): void {
    if (this.threadIndex.size > 0 || this.childIndex.size > 0) return;
    this.threadIndex = NO_THREADS as Map<string, Thread>;
    this.childIndex = NO_CHILDREN as Map<string, Thread[]>;
  }

  /** Removes a finished child from its parent's child index (Distributed Map units). */
  unlinkChild(thread: Thread): void {
    const slots = thread.parentId === undefined ? undefined : this.children.get(thread.parentId);
    if (slots && slots[thread.slot ?? 0] === thread) delete slots[thread.slot ?? 0];
  }
}
