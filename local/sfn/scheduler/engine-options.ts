/** What an Engine is made with (new Engine(options)). */
import type { ObjectSource } from '../integrations/item-reader';
import type { Authorize } from '../integrations/task-permissions';
import type { TaskHost } from '../integrations/task-resources';
import type { StatusListener } from './status-notices';

export interface EngineOptions extends TaskHost {
  /** Directory for the journal; undefined keeps everything in memory. */
  dataDir?: string;
  region?: string;
  /** Journal size that triggers a snapshot (bytes). */
  compactBytes?: number;
  /**
   * How long a compaction plans its snapshot on the engine's thread before it lets the engine run
   * (default 10 ms). Tests set 0: a pause after every execution, the most interleaving there is.
   */
  compactSliceMs?: number;
  /**
   * Durable engines: how many executions stay in memory (default 1,000). Beyond that the least
   * recently used ones that are waiting (a task token, a timer) live only on disk and are loaded
   * again when something wakes them. In-memory engines keep every execution.
   */
  residentExecutions?: number;
  /**
   * The most task integration calls (Lambda invocations, DynamoDB requests...) in flight at once
   * (default 64). Further tasks wait their turn in the engine, as small tickets, so a big round
   * does not start thousands of invocations at once; they queue per function called and per
   * caller of StartExecution, and the queues take turns (task-lanes.ts), so a backlog holds up
   * no other function's calls, nor another caller's executions'.
   */
  maxConcurrentTasks?: number;
  /**
   * IAM: asked before every call a state machine's integration makes with its role (Lambda
   * invoke, DynamoDB items, StartExecution, the S3 object of a Distributed Map's ItemReader).
   * A denial fails the task as AWS reports it (task-permissions.ts) and the call is not made.
   * Without it every call is allowed.
   */
  authorize?: Authorize;
  /**
   * S3 objects for Distributed Map ItemReaders (arn:aws:states:::s3:getObject): the object's bytes
   * as a stream. Throw (e.g. NoSuchKey) when it does not exist; the Map fails with
   * States.ItemReaderFailed. Without it, ItemReader maps fail the same way.
   */
  s3?: ObjectSource;
  /**
   * Told of every execution status change (status-notices.ts). Given here, it also hears the
   * changes recovered from the journal that were never announced; `Engine.onStatusChange` adds more.
   */
  onStatusChange?: StatusListener;
}
