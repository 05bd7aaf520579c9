/**
 * Journals written before executions had lines of their own: one line per commit with every
 * change in short keys (journal-codec.ts, thread-codec.ts). They are replayed whole into memory,
 * as they always were, and the engine then rewrites them as a snapshot of today's format
 * (snapshot.ts, migrate), so an existing data directory keeps working and is read the old way
 * only once.
 */
import { Execution, type Thread } from '../interpreter/execution';
import type { ExecutionPayloads, ExecutionRecord, HistoryEvent } from '../interpreter/execution-records';
import type { CompiledMachine } from '../language/definition';
import { decodeExecution, decodeMachine, type JournalRecord } from './journal-codec';
import type { Store } from './store';
import { decodeThread } from './thread-codec';

export interface LegacyExecution {
  execution: Execution;
  history: HistoryEvent[];
}

export class LegacyReplay {
  private readonly executions = new Map<number, { record: ExecutionRecord; payloads: ExecutionPayloads }>();
  private readonly threads = new Map<number, Map<string, Thread>>();
  private readonly histories = new Map<number, HistoryEvent[]>();

  constructor(
    private readonly store: Store,
    private readonly compile: (definition: string) => CompiledMachine,
  ) {}

  apply(raw: unknown): void {
    const line = raw as JournalRecord;
    const store = this.store;
    if (line.m) {
      const record = decodeMachine(line.m);
      const known = store.revision(record.arn, record.revision);
      store.restoreMachine({ ...record, compiled: known?.compiled ?? this.compile(record.definition) });
    }
    if (line.c !== undefined) store.clockOffset = line.c;
    if (line.announced !== undefined) store.announced = Math.max(store.announced, line.announced);
    for (const stored of line.x ?? []) {
      const decoded = decodeExecution(stored);
      this.executions.set(stored.key, decoded);
      store.statusSequence = Math.max(store.statusSequence, decoded.record.statusSequence ?? 0);
    }
    for (const stored of line.t ?? []) this.threadsOf(stored.x).set(stored.id, decodeThread(stored));
    for (const id of line.d ?? []) this.threadsOf(Number(id.split('.')[0])).delete(id);
    for (const [key, event] of line.h ?? []) {
      let events = this.histories.get(key);
      if (!events) {
        events = [];
        this.histories.set(key, events);
      }
      if (event.id === events.length + 1) events.push(event);
    }
  }

  private threadsOf(key: number): Map<string, Thread> {
    let threads = this.threads.get(key);
    if (!threads) {
      threads = new Map();
      this.threads.set(key, threads);
    }
    return threads;
  }

  /** The replayed executions, in start order, with their threads and histories. */
  *executionsInOrder(): Generator<LegacyExecution> {
    for (const key of [...this.executions.keys()].sort((a, b) => a - b)) {
      const { record, payloads } = this.executions.get(key) as {
        record: ExecutionRecord;
        payloads: ExecutionPayloads;
      };
      const machine = this.store.revision(record.stateMachineArn, record.revision);
      if (!machine) throw new Error(`journal: execution ${record.arn} runs an unknown machine revision`);
      const execution = new Execution(record, payloads, machine);
      for (const thread of this.threads.get(key)?.values() ?? []) execution.addThread(thread);
      yield { execution, history: this.histories.get(key) ?? [] };
    }
  }
}
