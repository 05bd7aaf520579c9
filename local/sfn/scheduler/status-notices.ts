/**
 * Execution status-change notices: what AWS sends to EventBridge as "Step Functions Execution
 * Status Change" whenever an execution starts, is redriven (RUNNING again) or closes
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html). The local runtime turns
 * them into EventBridge events for the template's rules.
 *
 * Delivery is at least once and in order. A change is announced only after the journal line
 * that records it is durable, so a listener never hears of a change a crash could undo. Each
 * change gets a sequence number (ExecutionRecord.statusSequence); after delivery the store's `announced`
 * watermark moves up and is journaled with the next batch. After a restart, every execution whose
 * latest change lies above the watermark is announced (again) with its current status: a close
 * that happened just before a crash and was never announced is announced then, while one that
 * was announced, and whose watermark reached the disk, is not. A crash between a delivery and
 * the watermark write repeats that delivery. Only an execution's latest change is repeated: a
 * start that went unannounced together with the close after it is announced as the close.
 *
 * Listeners cannot break the engine: what they throw or reject is reported and ignored. While no
 * listener is registered, notices are held (the newest MAX_HELD) for the first one, so a runtime
 * that registers after awaiting its set-up does not miss executions recovered in the meantime.
 */
import type { Store } from '../durability/store';
import type { Execution } from '../interpreter/execution';
import type { ExecutionRecord, ExecutionStatus } from '../interpreter/execution-records';

/** One status change, as the `detail` of the EventBridge event carries it (dates in epoch ms). */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate: number | null;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  redriveCount: number;
}

export type StatusListener = (change: ExecutionStatusChange) => void | Promise<void>;

interface Notice {
  sequence: number;
  change: ExecutionStatusChange;
}

const MAX_HELD = 1_000;

function changeOf({ record, payloads }: Execution): ExecutionStatusChange {
  return {
    executionArn: record.arn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    stopDate: record.stopDate ?? null,
    input: payloads.input,
    output: payloads.output ?? null,
    error: payloads.error ?? null,
    cause: payloads.cause ?? null,
    redriveCount: record.redriveCount ?? 0,
  };
}

export class StatusNotices {
  private readonly listeners: StatusListener[] = [];
  /** Recorded since the last commit: not durable yet. */
  private recorded: Notice[] = [];
  /** Durable, waiting for a listener. */
  private held: Notice[] = [];
  /** The delivery chain: batches are delivered one after the other, in commit order. */
  private last: Promise<void> = Promise.resolve();
  private chained = 0;

  constructor(
    private readonly store: Store,
    /** Resolves once everything journaled so far is on disk. */
    private readonly durable: () => Promise<void>,
    /** Called after a delivery moved the watermark, so that it gets journaled. */
    private readonly delivered: () => void,
  ) {}

  listen(listener: StatusListener): void {
    this.listeners.push(listener);
    if (this.held.length) this.chain([]);
  }

  /** An execution changed status (call after the change is applied to it). */
  record(execution: Execution): void {
    const sequence = ++this.store.statusSequence;
    execution.record.statusSequence = sequence;
    this.store.touchExecution(execution);
    this.recorded.push({ sequence, change: changeOf(execution) });
  }

  /** True when the batch being committed holds changes. */
  get waiting(): boolean {
    return this.recorded.length > 0;
  }

  /** The changes recorded so far were just journaled. */
  committed(): void {
    const batch = this.recorded;
    this.recorded = [];
    if (this.listeners.length === 0 && this.chained === 0) {
      // Nobody listens and nothing is on its way: hold at once, without a promise per commit
      // (the engine's hot path when it runs without listeners, as in the benchmarks). A later
      // listener waits for durability first (listen → chain).
      for (const n of batch) this.held.push(n);
      this.trim();
      return;
    }
    this.chain(batch);
  }

  /** After replay: the executions whose latest change may never have been announced. */
  recovered(
    entries: Iterable<{ record: ExecutionRecord }>,
    load: (key: number) => Execution | undefined,
  ): void {
    const backlog: Notice[] = [];
    for (const { record } of entries) {
      const sequence = record.statusSequence ?? 0;
      const execution = sequence > this.store.announced ? load(record.key) : undefined;
      if (execution) backlog.push({ sequence, change: changeOf(execution) });
    }
    backlog.sort((a, b) => a.sequence - b.sequence);
    if (backlog.length) this.chain(backlog);
  }

  /** Resolves once every committed batch has been delivered (or held). */
  flush(): Promise<void> {
    return this.last;
  }

  /** Delivers `batch` (after anything before it) once it is durable. */
  private chain(batch: Notice[]): void {
    this.chained++;
    const durable = this.durable();
    this.last = this.last
      .then(() => durable)
      .then(() => this.deliver(batch))
      .catch((e: unknown) => console.error('[sfn notices] not delivered', e))
      .finally(() => {
        this.chained--;
      });
  }

  private deliver(batch: Notice[]): void {
    for (const n of batch) this.held.push(n);
    if (this.listeners.length === 0) {
      this.trim();
      return;
    }
    const due = this.held;
    this.held = [];
    for (const n of due) for (const l of this.listeners) this.call(l, n.change);
    const top = due[due.length - 1];
    if (top) {
      this.store.setAnnounced(top.sequence);
      this.delivered();
    }
  }

  private call(listener: StatusListener, change: ExecutionStatusChange): void {
    const report = (e: unknown) =>
      console.error(`[sfn notices] a status listener failed on ${change.executionArn}`, e);
    try {
      const r = listener(change);
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(report);
    } catch (e) {
      report(e);
    }
  }

  /**
   * Nobody listens: keep the newest MAX_HELD, trimmed in chunks so that holding stays cheap. An
   * engine that never gets a listener (tests, benchmarks) thus stays bounded, and the dropped
   * changes count as announced (to nobody), as AWS drops events that no rule matches.
   */
  private trim(): void {
    if (this.held.length <= 2 * MAX_HELD) return;
    const dropped = this.held.splice(0, this.held.length - MAX_HELD);
    this.store.setAnnounced((dropped[dropped.length - 1] as Notice).sequence);
    this.delivered();
  }
}
