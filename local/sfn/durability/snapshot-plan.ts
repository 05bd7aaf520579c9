/**
 * What a compaction's snapshot will hold, decided on the engine's thread from the generation
 * switch on, without copying a byte: the engine lines, then per execution one state line (its
 * whole state) and its history lines before the switch. A line is either a Location to copy from
 * an older file (most of them: an evicted execution's one state line, its history lines) or a
 * text (a resident execution's state, lines folded or merged). Every line's Location in the
 * snapshot is known here already, from the lengths, so the engine can point its executions there
 * once the snapshot thread (snapshot-copier.ts) has written the file.
 *
 * Folding an evicted execution's lines reads and parses them, and a big round leaves tens of
 * thousands to fold: the plan pauses every few milliseconds so that the engine goes on meanwhile.
 */
import { collectHistory, foldStateLines, historyLine, lines, machineRecord } from './execution-lines';
import type { Journal } from './journal';
import { fileName, generationOf, type Location, snapshotFileId } from './journal-files';
import type { ExecutionEntry, Store } from './store';

/** An execution with more history lines than this gets them merged into one. */
const MERGE_HISTORY_LINES = 16;
/** In `lines`, a file id of TEXT means: the next of `texts`. */
const TEXT = -1;
/** By default the plan pauses (lets the engine run) once it has run this long. */
const SLICE_MS = 10;

export interface SnapshotPlan {
  /** [fileId, offset, length] per line in file order; [TEXT, 0, 0] for the next of `texts`. */
  lines: number[];
  texts: string[];
  /** The path of every file a line is copied from, by file id. */
  files: Map<number, string>;
  /** The snapshot's size, newlines included. */
  bytes: number;
  /** Per execution key: its state line and history lines in the snapshot, as Location triples. */
  moved: Map<number, { state: number[]; history: number[] }>;
}

/**
 * `pause` lets the engine run and returns once what it changed meanwhile is journaled, so a
 * resident execution is written as committed. An execution started meanwhile is not in the plan
 * (all its lines are in the new generation); one changed meanwhile is planned as it is when its
 * turn comes, and its later lines are in the new generation too.
 */
export async function planSnapshot(
  store: Store,
  journal: Journal,
  generation: number,
  pause: () => Promise<void>,
  sliceMs = SLICE_MS,
): Promise<SnapshotPlan> {
  const plan = new PlanBuilder(journal.dir, snapshotFileId(generation));
  for (const text of engineLines(store)) plan.text(text);
  let sliceStart = performance.now();
  // Executions go in key order, which moves through the files about in order.
  for (const key of [...store.entries.keys()].sort((a, b) => a - b)) {
    if (performance.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
    const entry = store.entries.get(key) as ExecutionEntry;
    plan.moved.set(key, {
      state: stateOf(entry, journal, plan),
      history: olderHistory(entry, journal, generation, plan),
    });
  }
  return plan;
}

/** A snapshot's first lines: the state machines' revisions, then the engine clock. */
export function engineLines(store: Store): string[] {
  const texts: string[] = [];
  // Older revisions first, the current one last, so replay ends on the current revision.
  for (const m of store.revisions.values())
    if (store.machines.get(m.arn) !== m) texts.push(JSON.stringify({ machine: machineRecord(m) }));
  for (const m of store.machines.values()) texts.push(JSON.stringify({ machine: machineRecord(m) }));
  texts.push(JSON.stringify({ clock: store.clockOffset, announced: store.announced }));
  return texts;
}

class PlanBuilder implements SnapshotPlan {
  lines: number[] = [];
  texts: string[] = [];
  files = new Map<number, string>();
  bytes = 0;
  moved = new Map<number, { state: number[]; history: number[] }>();

  constructor(
    private readonly dir: string,
    private readonly fileId: number,
  ) {}

  text(text: string): Location {
    this.lines.push(TEXT, 0, 0);
    this.texts.push(text);
    return this.place(Buffer.byteLength(text, 'utf8'));
  }

  copy([fileId, offset, length]: Location): Location {
    if (!this.files.has(fileId)) this.files.set(fileId, fileName(this.dir, fileId));
    this.lines.push(fileId, offset, length);
    return this.place(length);
  }

  private place(length: number): Location {
    const location: Location = [this.fileId, this.bytes, length];
    this.bytes += length + 1;
    return location;
  }
}

/** The execution's whole state as one line: its one state line copied, or its lines folded. */
function stateOf(entry: ExecutionEntry, journal: Journal, plan: PlanBuilder): number[] {
  const execution = entry.execution;
  if (!execution && entry.stateLines.length === 3) return plan.copy(entry.stateLines as Location);
  const { payloads, threads } = execution ?? foldStateLines(lines(entry.stateLines, journal));
  return plan.text(JSON.stringify({ execution: entry.record, payloads, threads: [...threads.values()] }));
}

/** The history lines before `generation`: copied as they are, or merged when there are many. */
function olderHistory(
  entry: ExecutionEntry,
  journal: Journal,
  generation: number,
  plan: PlanBuilder,
): number[] {
  const older: number[] = [];
  for (let i = 0; i < entry.historyLines.length; i += 3) {
    if (generationOf(entry.historyLines[i] as number) < generation)
      older.push(...entry.historyLines.slice(i, i + 3));
  }
  if (older.length <= 3 * MERGE_HISTORY_LINES) {
    const copied: number[] = [];
    for (let i = 0; i < older.length; i += 3) copied.push(...plan.copy(older.slice(i, i + 3) as Location));
    return copied;
  }
  const events = collectHistory(lines(older, journal), entry.record.nextEventId);
  return events.length ? plan.text(historyLine(entry.record.key, events).slice(0, -1)) : [];
}
