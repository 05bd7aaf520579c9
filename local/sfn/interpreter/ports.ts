/**
 * Every seam of the interpreter on one page: what it asks of the engine around it (InterpreterHost),
 * of durability (ExecutionChanges: the store records each change so the scheduler can journal it
 * after a batch) and of a Distributed Map's ItemReader (ItemSource); and the hub its state modules
 * reach each other through (InterpreterHub, StateRun). The interpreter imports none of the modules
 * that implement the first three, so durability, the scheduler and the integrations sit above it;
 * the state modules know the hub by this interface only, so interpreter.ts sits above them.
 */
import type { CompiledState } from '../language/definition';
import type { Json, JsonObject } from '../language/json';
import type { StatesError } from '../language/states-errors';
import type { Execution, Thread } from './execution';
import type { HistoryEvent } from './execution-records';

/**
 * The interpreter as its state modules see it (interpreter.ts): how one state type's module reaches
 * another's (a Map's child ends, an error goes to Retry and Catch).
 */
export interface InterpreterHub {
  /** Threads ready to run. */
  readonly queue: Thread[];
  readonly history: HistoryWriter;
  readonly store: ExecutionChanges;
  readonly host: InterpreterHost;
  runOf(execution: Execution, thread: Thread, state?: CompiledState): StateRun;
  /** Retry, then Catch, else the thread fails (retry-and-catch.ts). */
  handleError(run: StateRun, error: StatesError): void;
  /** A Parallel or Map waiting for its children: start more of them, or complete. */
  pump(execution: Execution, thread: Thread): void;
  childSucceeded(execution: Execution, child: Thread, output: Json): void;
  childFailed(execution: Execution, child: Thread, error: StatesError): void;
  /** A Distributed Map's child execution (a unit of items) ended. */
  unitEnded(
    execution: Execution,
    parent: Thread,
    unit: Thread,
    output: Json,
    error: StatesError | null,
  ): void;
}

/** One state of one thread, as the state modules see it. */
export interface StateRun {
  readonly interpreter: InterpreterHub;
  readonly execution: Execution;
  readonly thread: Thread;
  readonly state: CompiledState;
  /** The context object ($$), built on demand. */
  context(extra?: JsonObject): Json;
}

/** The execution's history as the interpreter writes it (history.ts). */
export interface HistoryWriter {
  /** Appends an event; returns its id. */
  emit(execution: Execution, thread: Thread | null, type: string, details?: Record<string, unknown>): number;
  entered(execution: Execution, thread: Thread, type: string, name: string, input: Json): number;
  exited(execution: Execution, thread: Thread, type: string, name: string, output: Json): number;
}

/** What the interpreter needs from the engine around it (scheduler/interpreter-host.ts). */
export interface InterpreterHost {
  readonly region: string;
  now(): number;
  /** Wake the thread at `due` (engine ms); stale wake-ups are ignored. */
  setTimer(due: number, id: string): void;
  /** Start the thread's task integration once the current batch is journaled. */
  dispatchTask(execution: Execution, thread: Thread): void;
  /** A task token for the thread's current task attempt (durability/task-tokens.ts). */
  issueToken(execution: Execution, thread: Thread): string;
  executionClosed(execution: Execution): void;
  /** The ItemReader feed of a Distributed Map thread (opened on first use, also after a restart). */
  itemFeed(execution: Execution, thread: Thread): ItemSource;
  closeItemFeed(threadId: string): void;
}

/** Where every change the interpreter makes is recorded (durability/store.ts). */
export interface ExecutionChanges {
  /** The execution, loaded from disk if it is not in memory. */
  execution(key: number): Execution | undefined;
  touchExecution(execution: Execution): void;
  touchPayloads(execution: Execution): void;
  touchThread(execution: Execution, thread: Thread): void;
  addThread(execution: Execution, thread: Thread): void;
  dropThread(execution: Execution, thread: Thread): void;
  addEvent(execution: Execution, event: HistoryEvent): void;
}

/** A Distributed Map's items as its ItemReader reads them (integrations/item-reader.ts). */
export interface ItemSource {
  /** Up to n items (fewer only at the end, [] = no more), or null while reading. */
  take(n: number): Json[] | null;
  /** Set once reading failed. */
  readonly error: StatesError | null;
}
