/**
 * The engine's state: state machines, executions with their threads, and execution histories,
 * plus change tracking. Every mutation marks its object dirty; `commit` turns the changes since
 * the last commit into one journal line (journal-codec.ts). Snapshots use the same records and
 * replaying them is idempotent, so recovery = replay every line in order (replay.ts).
 */
import type { Execution, ExecutionRecord, StateMachine, Thread } from '../interpreter/execution';
import type { HistoryEvent } from '../interpreter/history';
import { encodeExecution, encodeMachine, type JournalRecord } from './journal-codec';
import { encodeThread } from './thread-codec';

export class Store {
  /** The current revision of every state machine, and every revision by `arn#revision`. */
  readonly machines = new Map<string, StateMachine>();
  readonly revisions = new Map<string, StateMachine>();
  /** Executions by machine ARN, in start order (ListExecutions). */
  readonly byMachine = new Map<string, ExecutionRecord[]>();
  private readonly byKey = new Map<number, Execution>();
  private readonly byArn = new Map<string, Execution>();
  private readonly histories = new Map<number, HistoryEvent[]>();
  clockOffset = 0;
  nextExecutionKey = 1;
  /** Last status-change sequence number given out, and the last one announced to listeners. */
  statusSequence = 0;
  announced = 0;

  private readonly dirtyExecutions = new Set<Execution>();
  private readonly dirtyThreads = new Set<Thread>();
  private droppedThreads: string[] = [];
  private newEvents: [number, HistoryEvent][] = [];
  private dirtyMachine: StateMachine | null = null;
  private clockChanged = false;
  private announcedChanged = false;

  constructor(
    /** False in memory mode: nothing is tracked. */
    readonly tracking: boolean,
  ) {}

  execution(key: number): Execution | undefined {
    return this.byKey.get(key);
  }

  executionByArn(arn: string): Execution | undefined {
    return this.byArn.get(arn);
  }

  executions(): IterableIterator<Execution> {
    return this.byKey.values();
  }

  revision(arn: string, revision: number): StateMachine | undefined {
    return this.revisions.get(`${arn}#${revision}`);
  }

  history(key: number): HistoryEvent[] {
    return this.histories.get(key) ?? [];
  }

  addExecution(execution: Execution): void {
    this.index(execution);
    this.touchExecution(execution);
  }

  private index(execution: Execution): void {
    const record = execution.record;
    this.byKey.set(record.key, execution);
    this.byArn.set(record.arn, execution);
    if (record.key >= this.nextExecutionKey) this.nextExecutionKey = record.key + 1;
    let list = this.byMachine.get(record.stateMachineArn);
    if (!list) {
      list = [];
      this.byMachine.set(record.stateMachineArn, list);
    }
    list.push(record);
  }

  /** Replay: an execution or machine as it was journaled (nothing to journal again). */
  restoreExecution(execution: Execution): void {
    this.index(execution);
  }

  restoreMachine(machine: StateMachine): void {
    this.machines.set(machine.arn, machine);
    this.revisions.set(`${machine.arn}#${machine.revision}`, machine);
  }

  touchExecution(execution: Execution): void {
    if (this.tracking) this.dirtyExecutions.add(execution);
  }

  touchThread(_execution: Execution, thread: Thread): void {
    if (this.tracking) this.dirtyThreads.add(thread);
  }

  addThread(execution: Execution, thread: Thread): void {
    execution.addThread(thread);
    this.touchThread(execution, thread);
  }

  dropThread(execution: Execution, thread: Thread): void {
    execution.removeThread(thread);
    if (!this.tracking) return;
    this.dirtyThreads.delete(thread);
    this.droppedThreads.push(thread.id);
  }

  addEvent(execution: Execution, event: HistoryEvent): void {
    const key = execution.record.key;
    let events = this.histories.get(key);
    if (!events) {
      events = [];
      this.histories.set(key, events);
    }
    events.push(event);
    if (this.tracking) this.newEvents.push([key, event]);
  }

  /** Stores events replayed from the journal (in id order, each once). */
  replayEvent(key: number, event: HistoryEvent): void {
    let events = this.histories.get(key);
    if (!events) {
      events = [];
      this.histories.set(key, events);
    }
    if (event.id === events.length + 1) events.push(event);
  }

  putMachine(machine: StateMachine): void {
    this.machines.set(machine.arn, machine);
    this.revisions.set(`${machine.arn}#${machine.revision}`, machine);
    if (this.tracking) this.dirtyMachine = machine;
  }

  setClockOffset(ms: number): void {
    this.clockOffset = ms;
    this.clockChanged = true;
  }

  setAnnounced(sequence: number): void {
    if (sequence <= this.announced) return;
    this.announced = sequence;
    this.announcedChanged = this.tracking;
  }

  /** The changes since the last commit as one journal line, or null if nothing changed. */
  commit(): string | null {
    if (!this.tracking) return null;
    const record: JournalRecord = {};
    let any = false;
    if (this.dirtyMachine) {
      record.m = encodeMachine(this.dirtyMachine);
      this.dirtyMachine = null;
      any = true;
    }
    if (this.clockChanged) {
      record.c = this.clockOffset;
      this.clockChanged = false;
      any = true;
    }
    if (this.dirtyExecutions.size) {
      record.x = [...this.dirtyExecutions].map((e) => encodeExecution(e.record, e.payloads));
      this.dirtyExecutions.clear();
      any = true;
    }
    if (this.dirtyThreads.size) {
      record.t = [...this.dirtyThreads].map(encodeThread);
      this.dirtyThreads.clear();
      any = true;
    }
    if (this.droppedThreads.length) {
      record.d = this.droppedThreads;
      this.droppedThreads = [];
      any = true;
    }
    if (this.newEvents.length) {
      record.h = this.newEvents;
      this.newEvents = [];
      any = true;
    }
    if (this.announcedChanged) {
      record.announced = this.announced;
      this.announcedChanged = false;
      any = true;
    }
    return any ? `${JSON.stringify(record)}\n` : null;
  }

  /**
   * The whole state as journal lines (for compaction), produced lazily: the journal writes it in
   * chunks while the engine keeps running (see Journal.compact for why that is safe).
   */
  *snapshot(): Generator<string> {
    // Older revisions first, the current one last, so replay ends on the current revision.
    for (const m of this.revisions.values()) {
      if (this.machines.get(m.arn) !== m) yield `${JSON.stringify({ m: encodeMachine(m) })}\n`;
    }
    for (const m of this.machines.values()) yield `${JSON.stringify({ m: encodeMachine(m) })}\n`;
    yield `${JSON.stringify({ c: this.clockOffset, announced: this.announced })}\n`;
    for (const e of this.byKey.values()) {
      const key = e.record.key;
      const h = this.history(key).map((event): [number, HistoryEvent] => [key, event]);
      yield `${JSON.stringify({ x: [encodeExecution(e.record, e.payloads)], h })}\n`;
    }
    let batch: Thread[] = [];
    for (const e of this.byKey.values()) {
      for (const t of e.threads.values()) {
        batch.push(t);
        if (batch.length === 500) {
          yield `${JSON.stringify({ t: batch.map(encodeThread) })}\n`;
          batch = [];
        }
      }
    }
    if (batch.length) yield `${JSON.stringify({ t: batch.map(encodeThread) })}\n`;
  }
}
