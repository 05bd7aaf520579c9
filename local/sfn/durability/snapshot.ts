/**
 * Compaction: once the journal outgrew its threshold, generation N+1 begins (new lines go to
 * its journal at once) and its snapshot is written in the background: per execution one state
 * line (its whole state) and its history lines. The engine's thread decides what goes where
 * (snapshot-plan.ts) and a thread of its own copies the bytes (snapshot-copier.ts), while the
 * engine keeps running. When the snapshot is durable it replaces generation N's files, and every
 * execution's locations point into it (plus whatever it wrote to journal N+1 meanwhile).
 *
 * The snapshot is "fuzzy": an execution is planned as it is when its turn comes, at least as new
 * as the switch, and journal N+1 (replayed after it) holds every later change. Folding a state
 * line that is already in the snapshot again changes nothing (records are replaced, threads
 * upserted or dropped by id, events kept once per id), so replaying both is safe.
 */
import type { Execution } from '../interpreter/execution';
import { historyLine } from './execution-lines';
import type { Journal } from './journal';
import { fileName, generationOf, type Location, snapshotFileId } from './journal-files';
import type { LegacyExecution } from './legacy-journal';
import { SnapshotCopier } from './snapshot-copier';
import { pendingPath, placeSnapshot, SnapshotFile } from './snapshot-file';
import { engineLines, planSnapshot } from './snapshot-plan';
import type { ExecutionEntry, Store } from './store';

/** Migration: the snapshot is written a chunk of this many bytes at a time. */
const CHUNK_BYTES = 1 << 20;

export class Compactor {
  private running: Promise<void> | null = null;
  private readonly copier = new SnapshotCopier();

  constructor(
    private readonly store: Store,
    private readonly journal: Journal,
    /** Journals the changes of the current batch (so a resident execution is written as committed). */
    private readonly commitPending: () => void,
    /** How long the plan runs before it lets the engine run (snapshot-plan.ts). */
    private readonly sliceMs?: number,
  ) {}

  /** After a commit: begins a compaction if the journal outgrew its threshold. */
  maybeStart(): void {
    if (this.running || !this.journal.wantsCompaction) return;
    const old = this.journal.startGeneration();
    this.running = this.compact(old + 1)
      .catch((e: unknown) => console.error('[sfn journal] snapshot failed', e))
      .finally(() => {
        this.running = null;
      });
  }

  async idle(): Promise<void> {
    await this.running;
  }

  /** Waits for a compaction in progress, then ends the snapshot thread. */
  async close(): Promise<void> {
    await this.idle();
    await this.copier.close();
  }

  private async compact(generation: number): Promise<void> {
    const { store, journal } = this;
    this.commitPending();
    const pause = async () => {
      await new Promise(setImmediate);
      this.commitPending();
    };
    const plan = await planSnapshot(store, journal, generation, pause, this.sliceMs);
    // The thread reads the older lines from their files, so they must all be written. And what the
    // snapshot shows must not be newer than what the journal has made durable: the resident
    // executions' states were committed when planned.
    await journal.sync();
    const path = fileName(journal.dir, snapshotFileId(generation));
    const written = await this.copier.write(pendingPath(path), plan);
    if (written !== plan.bytes)
      throw new Error(`snapshot ${generation}: ${written} bytes, not ${plan.bytes}`);
    placeSnapshot(path);
    for (const [key, { state, history }] of plan.moved) {
      const entry = store.entries.get(key) as ExecutionEntry;
      entry.stateLines = [...state, ...fromGeneration(entry.stateLines, generation)];
      entry.historyLines = [...history, ...fromGeneration(entry.historyLines, generation)];
    }
    journal.snapshotBytes = plan.bytes;
    await journal.retireBefore(generation);
  }
}

function fromGeneration(locations: number[], generation: number): number[] {
  const kept: number[] = [];
  for (let i = 0; i < locations.length; i += 3)
    if (generationOf(locations[i] as number) >= generation) kept.push(...locations.slice(i, i + 3));
  return kept;
}

/**
 * Rewrites a replayed legacy journal (legacy-journal.ts) as generation N+1's snapshot, then
 * indexes the executions from it and removes the old files.
 */
export function migrate(store: Store, journal: Journal, executions: Iterable<LegacyExecution>): void {
  const generation = journal.startGeneration() + 1;
  const file = new SnapshotFile(journal.dir, generation);
  for (const text of engineLines(store)) file.add(text);
  const written: { execution: Execution; state: Location; history: number[] }[] = [];
  for (const { execution, history } of executions) {
    const { record, payloads, threads } = execution;
    const state = file.add(JSON.stringify({ execution: record, payloads, threads: [...threads.values()] }));
    const historyText = history.length ? [historyLine(record.key, history).slice(0, -1)] : [];
    written.push({ execution, state, history: historyText.flatMap((text) => file.add(text)) });
    if (file.buffered >= CHUNK_BYTES) file.flushSync();
  }
  file.commitSync();
  for (const { execution, state, history } of written) {
    store.index(execution.record, [...state], history);
    store.statusSequence = Math.max(store.statusSequence, execution.record.statusSequence ?? 0);
  }
  journal.snapshotBytes = file.bytes;
  journal.removeBefore(generation);
}
