/**
 * What the engine keeps of state machines and executions beyond their threads: a machine's
 * revisions, an execution's record (status, dates, counters), payloads and history events, and a
 * Distributed Map run's progress. The journal writes them (durability/journal-codec.ts); execution.ts holds them.
 */
import type { CompiledMachine } from '../language/definition';
import type { Json } from '../language/json';

/** One event of an execution's history, in the GetExecutionHistory shape (history.ts writes them). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One revision of a state machine (UpdateStateMachine adds one; executions keep theirs). */
export interface StateMachineRecord {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: string;
  createdAt: number;
  deleted?: boolean;
  revision: number;
}

export interface StateMachine extends StateMachineRecord {
  compiled: CompiledMachine;
}

export interface ExecutionRecord {
  key: number;
  arn: string;
  name: string;
  stateMachineArn: string;
  /** The machine revision this execution runs. */
  revision: number;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  /** Next history event id and next thread number. */
  nextEventId: number;
  nextThreadNumber: number;
  /** Due time of the execution's own TimeoutSeconds. */
  timeoutAt?: number;
  /** RedriveExecution: how often and when last (engine ms), and the client tokens it accepted. */
  redriveCount?: number;
  redriveDate?: number;
  redriveTokens?: { token: string; date: number }[];
  /** Order of the execution's latest status change among all executions (status-notices.ts). */
  statusSequence?: number;
  /**
   * Who called StartExecution: the access key its request was signed with (none for a start the
   * engine makes itself or an in-process caller's). Its task calls queue apart (task-lanes.ts).
   */
  startedBy?: string;
}

/** The execution's payloads, kept apart from the record because they may be large. */
export interface ExecutionPayloads {
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * The durable progress record of a Distributed Map run. Units (children: one item, or one batch)
 * are launched in item order and every unit but the last holds `batchSize` items, so `itemsRead`
 * is all a restart needs to re-open the reader and skip what already ran; running units are
 * threads of their own and continue where they were.
 */
export interface MapRun {
  arn: string;
  unitsLaunched: number;
  unitsRunning: number;
  itemsRead: number;
  itemsSucceeded: number;
  itemsFailed: number;
  /** The reader is exhausted: `itemsRead` is the total. */
  readerDone?: boolean;
  /** S3 object of the ItemReader. */
  source?: { bucket: string; key: string };
  /** Evaluated ItemBatcher.BatchInput. */
  batchInput?: Json;
  /** Outputs of succeeded units as [unit, output], and their JSON size (kept under 256 KiB). */
  results?: [number, Json][];
  resultBytes?: number;
}
