/**
 * Recovery, part one: rebuilds the Store from journal lines (the newest snapshot, then every
 * journal after it). Records are upserts by key and history events carry their ids, so a line
 * whose effect is already in the snapshot changes nothing (journal.ts relies on that).
 */
import {
  Execution,
  type ExecutionPayloads,
  type ExecutionRecord,
  type Thread,
} from '../interpreter/execution';
import type { CompiledMachine } from '../language/definition';
import { decodeExecution, decodeMachine, type JournalRecord } from './journal-codec';
import type { Store } from './store';
import { decodeThread } from './thread-codec';

export class Replay {
  private readonly executions = new Map<number, { record: ExecutionRecord; payloads: ExecutionPayloads }>();
  private readonly threads = new Map<number, Map<string, Thread>>();

  constructor(
    private readonly store: Store,
    private readonly compile: (definition: string) => CompiledMachine,
  ) {}

  /** Applies one journal or snapshot line. */
  apply(raw: unknown): void {
    const line = raw as JournalRecord;
    const store = this.store;
    if (line.m) {
      const record = decodeMachine(line.m);
      // A revision's definition never changes, so a repeated record reuses the compiled one.
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
    for (const [key, event] of line.h ?? []) store.replayEvent(key, event);
  }

  private threadsOf(key: number): Map<string, Thread> {
    let threads = this.threads.get(key);
    if (!threads) {
      threads = new Map();
      this.threads.set(key, threads);
    }
    return threads;
  }

  /** Puts the replayed executions into the store, in start order. */
  finish(): void {
    for (const key of [...this.executions.keys()].sort((a, b) => a - b)) {
      const { record, payloads } = this.executions.get(key) as {
        record: ExecutionRecord;
        payloads: ExecutionPayloads;
      };
      const machine = this.store.revision(record.stateMachineArn, record.revision);
      if (!machine) throw new Error(`journal: execution ${record.arn} runs an unknown machine revision`);
      const execution = new Execution(record, payloads, machine);
      for (const thread of this.threads.get(key)?.values() ?? []) execution.addThread(thread);
      this.store.restoreExecution(execution);
    }
  }
}
