/**
 * The engine's state: state machines, and an index of every execution (its record, always in
 * memory) with, for a durable engine, where its lines are in the journal. Payloads and threads
 * are in memory only while the execution is resident (resident-executions.ts); histories of a
 * durable engine stay on disk and are read on demand. Every change goes through here (touch*,
 * addThread, dropThread, addEvent) so that `commit` can journal it (change-log.ts).
 */
import type { Execution, Thread } from '../interpreter/execution';
import type { ExecutionRecord, HistoryEvent, StateMachine } from '../interpreter/execution-records';
import type { ExecutionChanges } from '../interpreter/ports';
import { ChangeLog } from './change-log';
import { collectHistory, executionFromLines, lines, machineRecord, withPending } from './execution-lines';
import type { Journal } from './journal';
import { MemoryHistory } from './memory-history';
import { ResidentExecutions } from './resident-executions';

export interface ExecutionEntry {
  record: ExecutionRecord;
  /** The execution, while resident. */
  execution?: Execution;
  /** Durable: where its state lines and history lines are, as [fileId, offset, length] triples. */
  stateLines: number[];
  historyLines: number[];
  /** In memory mode: the whole history. */
  history?: MemoryHistory;
}

/** The journal lines of an in-memory engine's executions: none, ever. */
const NO_LINES: number[] = Object.freeze([]) as unknown as number[];

export class Store implements ExecutionChanges {
  /** The current revision of every state machine, and every revision by `arn#revision`. */
  readonly machines = new Map<string, StateMachine>();
  readonly revisions = new Map<string, StateMachine>();
  /** Executions by machine ARN, in start order (ListExecutions). */
  readonly byMachine = new Map<string, ExecutionEntry[]>();
  readonly entries = new Map<number, ExecutionEntry>();
  private readonly byArn = new Map<string, ExecutionEntry>();
  private readonly resident: ResidentExecutions;
  private readonly changes = new ChangeLog();
  private journal: Journal | null = null;
  clockOffset = 0;
  nextExecutionKey = 1;
  /** Last status-change sequence number given out, and the last one announced to listeners. */
  statusSequence = 0;
  announced = 0;

  constructor(
    /** False in memory mode: everything stays resident, nothing is journaled. */
    readonly durable: boolean,
    residentLimit: number,
  ) {
    this.resident = new ResidentExecutions(residentLimit);
  }

  /** Called after an execution was loaded from disk (the engine then evicts at its next batch). */
  onLoad: () => void = () => {};

  /** The journal to write to (after replay). */
  attach(journal: Journal): void {
    this.journal = journal;
  }

  revision(arn: string, revision: number): StateMachine | undefined {
    return this.revisions.get(`${arn}#${revision}`);
  }

  record(key: number): ExecutionRecord | undefined {
    return this.entries.get(key)?.record;
  }

  /** The execution, loaded from its state lines if it is not resident. */
  execution(key: number): Execution | undefined {
    const entry = this.entries.get(key);
    return entry && this.load(entry);
  }

  executionByArn(arn: string): Execution | undefined {
    const entry = this.byArn.get(arn);
    return entry && this.load(entry);
  }

  residentExecutions(): IterableIterator<Execution> {
    return this.resident.values();
  }

  private load(entry: ExecutionEntry): Execution {
    const key = entry.record.key;
    const loaded = entry.execution;
    if (loaded) {
      if (this.durable) this.resident.used(key, loaded);
      return loaded;
    }
    const machine = this.revision(entry.record.stateMachineArn, entry.record.revision);
    if (!machine) throw new Error(`execution ${entry.record.arn} runs an unknown machine revision`);
    const execution = executionFromLines(entry.record, entry.stateLines, this.journal as Journal, machine);
    entry.execution = execution;
    this.resident.add(key, execution);
    this.onLoad();
    return execution;
  }

  /**
   * Evicts the least recently used executions beyond the resident limit. Call between batches,
   * after a commit, when no thread is queued (or name the executions whose threads are queued in
   * `pinned`): every change is journaled then, and nothing else holds an execution object across
   * batches.
   */
  evict(pinned?: Set<number>): void {
    if (!this.durable) return;
    const keep = (key: number, execution: Execution) =>
      this.changes.has(execution) || pinned?.has(key) === true;
    for (const key of this.resident.evict(keep))
      (this.entries.get(key) as ExecutionEntry).execution = undefined;
  }

  /** The history, from disk for a durable engine (with the events not journaled yet). */
  history(key: number): HistoryEvent[] {
    const entry = this.entries.get(key);
    if (!entry || !this.durable) return entry?.history?.events() ?? [];
    const pending = entry.execution ? this.changes.eventsOf(entry.execution) : [];
    const events = collectHistory(
      lines(entry.historyLines, this.journal as Journal),
      entry.record.nextEventId,
    );
    return withPending(events, pending);
  }

  addExecution(execution: Execution): void {
    // In memory mode nothing is journaled: every entry shares one empty (frozen) list of lines.
    const entry = this.durable
      ? this.index(execution.record, [], [])
      : this.index(execution.record, NO_LINES, NO_LINES);
    entry.execution = execution;
    if (!this.durable) entry.history = new MemoryHistory();
    this.resident.add(execution.record.key, execution);
    // In memory mode nothing is journaled: a change recorded here would be kept for ever.
    if (this.durable) this.changes.payloads(execution);
  }

  /** Replay: an execution's entry as the journal describes it (not loaded). */
  index(record: ExecutionRecord, stateLines: number[], historyLines: number[]): ExecutionEntry {
    const entry: ExecutionEntry = { record, stateLines, historyLines };
    this.entries.set(record.key, entry);
    this.byArn.set(record.arn, entry);
    if (record.key >= this.nextExecutionKey) this.nextExecutionKey = record.key + 1;
    let list = this.byMachine.get(record.stateMachineArn);
    if (!list) {
      list = [];
      this.byMachine.set(record.stateMachineArn, list);
    }
    list.push(entry);
    return entry;
  }

  touchExecution(execution: Execution): void {
    if (this.durable) this.changes.execution(execution);
  }

  touchPayloads(execution: Execution): void {
    if (this.durable) this.changes.payloads(execution);
  }

  touchThread(execution: Execution, thread: Thread): void {
    if (this.durable && execution.threads.get(thread.id) === thread) this.changes.thread(execution, thread);
  }

  addThread(execution: Execution, thread: Thread): void {
    execution.addThread(thread);
    this.touchThread(execution, thread);
  }

  dropThread(execution: Execution, thread: Thread): void {
    execution.removeThread(thread);
    if (this.durable) this.changes.dropped(execution, thread);
  }

  addEvent(execution: Execution, event: HistoryEvent): void {
    if (this.durable) this.changes.event(execution, event);
    else this.entries.get(execution.record.key)?.history?.push(event);
  }

  putMachine(machine: StateMachine): void {
    this.restoreMachine(machine);
    if (this.durable) this.changes.machine(machineRecord(machine));
  }

  restoreMachine(machine: StateMachine): void {
    this.machines.set(machine.arn, machine);
    this.revisions.set(`${machine.arn}#${machine.revision}`, machine);
  }

  setClockOffset(ms: number): void {
    this.clockOffset = ms;
    if (this.durable) this.changes.clockOrAnnounced(this.clockOffset, this.announced);
  }

  setAnnounced(sequence: number): void {
    if (sequence <= this.announced) return;
    this.announced = sequence;
    if (this.durable) this.changes.clockOrAnnounced(this.clockOffset, this.announced);
  }

  /** Journals the changes since the last commit (one history and one state line per execution). */
  commit(): void {
    if (!this.journal || this.changes.empty) return;
    for (const { execution, state, history } of this.changes.commit(this.journal)) {
      const entry = this.entries.get(execution.record.key) as ExecutionEntry;
      entry.stateLines.push(...state);
      if (history) entry.historyLines.push(...history);
    }
  }
}
