/**
 * Recovery, part one: rebuilds the execution index from the journal (the newest snapshot, then
 * every journal after it), without loading executions. A state line updates its execution's
 * record and adds its location; a history line only adds its location (its events are not
 * even parsed). Journals written before this format (journal-codec.ts) are replayed whole and
 * rewritten as a snapshot of this format (legacy-journal.ts).
 */
import type { StateMachine } from '../interpreter/execution-records';
import type { CompiledMachine } from '../language/definition';
import { type EngineLine, HISTORY_PREFIX, historyKey, type StateLine } from './execution-lines';
import type { RawLine } from './journal-files';
import { LegacyReplay } from './legacy-journal';
import type { Store } from './store';

const HISTORY_BYTES = Buffer.from(HISTORY_PREFIX);

export class Replay {
  /** History lines seen before their execution's first state line. */
  private readonly early = new Map<number, number[]>();
  legacy: LegacyReplay | null = null;

  constructor(
    private readonly store: Store,
    private readonly compile: (definition: string) => CompiledMachine,
  ) {}

  /** One line; false when it is not a valid record (replay stops there). */
  readonly visit = (line: RawLine): boolean => {
    const { bytes, start, end, location } = line;
    if (bytes.compare(HISTORY_BYTES, 0, HISTORY_BYTES.length, start, start + HISTORY_BYTES.length) === 0) {
      const key = historyKey(bytes, start, end);
      if (key === null) return false;
      const entry = this.store.entries.get(key);
      if (entry) entry.historyLines.push(...location);
      else this.earlyOf(key).push(...location);
      return true;
    }
    let parsed: StateLine & EngineLine & Record<string, unknown>;
    try {
      parsed = JSON.parse(bytes.toString('utf8', start, end));
    } catch {
      return false;
    }
    if (parsed.execution) this.state(parsed, location);
    else if (parsed.machine) this.machine(parsed.machine as Omit<StateMachine, 'compiled'>);
    else if (parsed.clock !== undefined) {
      this.store.clockOffset = parsed.clock;
      this.store.announced = Math.max(this.store.announced, parsed.announced ?? 0);
    } else {
      this.legacy ??= new LegacyReplay(this.store, this.compile);
      this.legacy.apply(parsed);
    }
    return true;
  };

  private state(line: StateLine, location: number[]): void {
    const store = this.store;
    const record = line.execution;
    const entry = store.entries.get(record.key);
    if (entry) {
      entry.record = record;
      entry.stateLines.push(...location);
    } else {
      store.index(record, [...location], this.early.get(record.key) ?? []);
      this.early.delete(record.key);
    }
    store.statusSequence = Math.max(store.statusSequence, record.statusSequence ?? 0);
  }

  private machine(record: Omit<StateMachine, 'compiled'>): void {
    // A revision's definition never changes, so a repeated record reuses the compiled one.
    const known = this.store.revision(record.arn, record.revision);
    this.store.restoreMachine({ ...record, compiled: known?.compiled ?? this.compile(record.definition) });
  }

  private earlyOf(key: number): number[] {
    let locations = this.early.get(key);
    if (!locations) {
      locations = [];
      this.early.set(key, locations);
    }
    return locations;
  }
}
