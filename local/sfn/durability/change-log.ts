/**
 * The changes since the last commit, per execution: threads changed or ended, new history
 * events, whether the payloads changed, plus machine revisions and the engine clock. A commit
 * turns them into journal lines (execution-lines.ts) and returns where each execution's lines
 * went.
 */
import type { Execution, Thread } from '../interpreter/execution';
import type { HistoryEvent, StateMachineRecord } from '../interpreter/execution-records';
import { type EngineLine, historyLine, stateLine } from './execution-lines';
import type { Journal } from './journal';
import type { Location } from './journal-files';

interface ExecutionChanges {
  payloads: boolean;
  threads: Set<Thread>;
  dropped: string[];
  events: HistoryEvent[];
}

export interface Written {
  execution: Execution;
  state: Location;
  history?: Location;
}

export class ChangeLog {
  private executions = new Map<Execution, ExecutionChanges>();
  private machines: StateMachineRecord[] = [];
  private clock: { offset: number; announced: number } | null = null;

  /** The execution changed last and its changes: every state touches one execution many times. */
  private last: Execution | null = null;
  private lastChanges: ExecutionChanges | null = null;

  private of(execution: Execution): ExecutionChanges {
    if (execution === this.last) return this.lastChanges as ExecutionChanges;
    let changes = this.executions.get(execution);
    if (!changes) {
      changes = { payloads: false, threads: new Set(), dropped: [], events: [] };
      this.executions.set(execution, changes);
    }
    this.last = execution;
    this.lastChanges = changes;
    return changes;
  }

  get empty(): boolean {
    return this.executions.size === 0 && this.machines.length === 0 && this.clock === null;
  }

  has(execution: Execution): boolean {
    return this.executions.has(execution);
  }

  /** Events emitted since the last commit (not on disk yet). */
  eventsOf(execution: Execution): HistoryEvent[] {
    return this.executions.get(execution)?.events ?? [];
  }

  execution(execution: Execution): void {
    this.of(execution);
  }

  payloads(execution: Execution): void {
    this.of(execution).payloads = true;
  }

  thread(execution: Execution, thread: Thread): void {
    this.of(execution).threads.add(thread);
  }

  dropped(execution: Execution, thread: Thread): void {
    const changes = this.of(execution);
    changes.threads.delete(thread);
    changes.dropped.push(thread.id);
  }

  event(execution: Execution, event: HistoryEvent): void {
    this.of(execution).events.push(event);
  }

  machine(machine: StateMachineRecord): void {
    this.machines.push(machine);
  }

  clockOrAnnounced(offset: number, announced: number): void {
    this.clock = { offset, announced };
  }

  /** Appends the changes as journal lines; returns where each execution's lines went. */
  commit(journal: Journal): Written[] {
    for (const machine of this.machines)
      journal.append(`${JSON.stringify({ machine } satisfies EngineLine)}\n`);
    this.machines = [];
    if (this.clock) {
      const line: EngineLine = { clock: this.clock.offset, announced: this.clock.announced };
      journal.append(`${JSON.stringify(line)}\n`);
      this.clock = null;
    }
    const written: Written[] = [];
    for (const [execution, changes] of this.executions) {
      const key = execution.record.key;
      const history = changes.events.length ? journal.append(historyLine(key, changes.events)) : undefined;
      const state = journal.append(
        stateLine({
          execution: execution.record,
          payloads: changes.payloads ? execution.payloads : undefined,
          threads: changes.threads.size ? [...changes.threads] : undefined,
          dropped: changes.dropped.length ? changes.dropped : undefined,
        }),
      );
      written.push({ execution, state, history });
    }
    this.executions = new Map();
    this.last = null;
    this.lastChanges = null;
    return written;
  }
}
