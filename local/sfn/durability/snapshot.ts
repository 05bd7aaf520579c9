/**
 * Compaction: once the journal outgrew its threshold, generation N+1 begins (new lines go to
 * its journal at once) and its snapshot is written in the background, in chunks between which
 * the engine keeps running: per execution one state line (its whole state) and its history
 * lines. When the snapshot is durable it replaces generation N's files, and every execution's
 * locations point into it (plus whatever it wrote to journal N+1 meanwhile).
 *
 * The snapshot is "fuzzy": an execution is written as it is when its turn comes, at least as new
 * as the switch, and journal N+1 (replayed after it) holds every later change. Folding a state
 * line that is already in the snapshot again changes nothing (records are replaced, threads
 * upserted or dropped by id, events kept once per id), so replaying both is safe.
 */
import type { Execution } from '../interpreter/execution';
import { BlockReader } from './block-reader';
import { collectHistory, foldStateLines, historyLine, lines, machineRecord } from './execution-lines';
import type { Journal } from './journal';
import { generationOf, type Location } from './journal-files';
import type { LegacyExecution } from './legacy-journal';
import { SnapshotFile } from './snapshot-file';
import type { ExecutionEntry, Store } from './store';

/** An execution with more history lines than this gets them merged into one. */
const MERGE_HISTORY_LINES = 16;
const CHUNK_BYTES = 1 << 20;

export class Compactor {
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly journal: Journal,
    /** Journals the changes of the current batch (so a resident execution is written as committed). */
    private readonly commitPending: () => void,
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

  private async compact(generation: number): Promise<void> {
    const { store, journal } = this;
    const file = new SnapshotFile(journal.dir, generation);
    this.commitPending();
    writeEngineLines(file, store);
    const moved = new Map<number, { state: number[]; history: number[] }>();
    // Executions go in key order, which moves through the files about in order (block-reader.ts).
    const reader = new BlockReader();
    for (const key of [...store.entries.keys()].sort((a, b) => a - b)) {
      if (file.buffered >= CHUNK_BYTES) {
        await file.flush();
        this.commitPending();
      }
      const entry = store.entries.get(key) as ExecutionEntry;
      moved.set(key, {
        state: copyState(entry, journal, file, reader),
        history: copyOlderHistory(entry, journal, generation, file, reader),
      });
    }
    await file.syncData();
    // What the snapshot shows must not be newer than what the journal has made durable.
    await journal.sync();
    file.commitSync();
    for (const [key, { state, history }] of moved) {
      const entry = store.entries.get(key) as ExecutionEntry;
      entry.stateLines = [...state, ...fromGeneration(entry.stateLines, generation)];
      entry.historyLines = [...history, ...fromGeneration(entry.historyLines, generation)];
    }
    journal.snapshotBytes = file.bytes;
    await journal.retireBefore(generation);
  }
}

function writeEngineLines(file: SnapshotFile, store: Store): void {
  // Older revisions first, the current one last, so replay ends on the current revision.
  for (const m of store.revisions.values())
    if (store.machines.get(m.arn) !== m) file.add(JSON.stringify({ machine: machineRecord(m) }));
  for (const m of store.machines.values()) file.add(JSON.stringify({ machine: machineRecord(m) }));
  file.add(JSON.stringify({ clock: store.clockOffset, announced: store.announced }));
}

/**
 * The execution's whole state as one state line in the snapshot: its one state line copied as
 * it is (bytes, never parsed), or its lines folded.
 */
function copyState(
  entry: ExecutionEntry,
  journal: Journal,
  file: SnapshotFile,
  reader: BlockReader,
): number[] {
  const execution = entry.execution;
  if (!execution && entry.stateLines.length === 3)
    return file.addBytes(journal.readBytes(entry.stateLines as Location, reader));
  const { payloads, threads } = execution ?? foldStateLines(lines(entry.stateLines, journal));
  return file.add(JSON.stringify({ execution: entry.record, payloads, threads: [...threads.values()] }));
}

/** The history lines before `generation`: copied as they are, or merged when there are many. */
function copyOlderHistory(
  entry: ExecutionEntry,
  journal: Journal,
  generation: number,
  file: SnapshotFile,
  reader: BlockReader,
): number[] {
  const older: number[] = [];
  for (let i = 0; i < entry.historyLines.length; i += 3) {
    if (generationOf(entry.historyLines[i] as number) < generation)
      older.push(...entry.historyLines.slice(i, i + 3));
  }
  if (older.length <= 3 * MERGE_HISTORY_LINES) {
    const copied: number[] = [];
    for (let i = 0; i < older.length; i += 3)
      copied.push(...file.addBytes(journal.readBytes(older.slice(i, i + 3) as Location, reader)));
    return copied;
  }
  const events = collectHistory(lines(older, journal), entry.record.nextEventId);
  return events.length ? file.add(historyLine(entry.record.key, events).slice(0, -1)) : [];
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
  writeEngineLines(file, store);
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
