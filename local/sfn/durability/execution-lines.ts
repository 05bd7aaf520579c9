/**
 * The journal's line formats. Every commit writes, per execution it changed, a history line
 * (the new events) and then a state line (the record, the threads that changed, the ids of the
 * threads that ended, and the payloads when they changed). Other lines carry a state machine
 * revision or the engine clock. A state line names its execution by the record's key; reading an
 * execution back means folding its state lines in order (later lines win), reading its history
 * means collecting its history lines.
 *
 * Order within a commit: history first. A crash between the two leaves events without their
 * state line; their ids are at or past the record's nextEventId, so reading ignores them (and
 * the events the execution writes when it runs that part again replace them).
 */
import { Execution, type Thread } from '../interpreter/execution';
import type {
  ExecutionPayloads,
  ExecutionRecord,
  HistoryEvent,
  StateMachine,
  StateMachineRecord,
} from '../interpreter/execution-records';
import { eventOf, type StoredEvent, storedEvent } from './event-codec';
import type { Journal } from './journal';
import type { Location } from './journal-files';

export interface StateLine {
  execution: ExecutionRecord;
  payloads?: ExecutionPayloads;
  threads?: Thread[];
  dropped?: string[];
}

export interface HistoryLine {
  history: number;
  events: StoredEvent[];
}

export interface EngineLine {
  machine?: StateMachineRecord;
  clock?: number;
  announced?: number;
}

export const HISTORY_PREFIX = '{"history":';

export function stateLine(line: StateLine): string {
  return `${JSON.stringify(line)}\n`;
}

export function historyLine(key: number, events: HistoryEvent[]): string {
  return `${HISTORY_PREFIX}${key},"events":${JSON.stringify(events.map(storedEvent))}}\n`;
}

/** What an execution's state lines add up to: its payloads and its live threads. */
export interface FoldedState {
  payloads: ExecutionPayloads;
  threads: Map<string, Thread>;
}

export function foldStateLines(texts: Iterable<string>): FoldedState {
  let payloads: ExecutionPayloads = { input: '{}' };
  const threads = new Map<string, Thread>();
  for (const text of texts) {
    const line = JSON.parse(text) as StateLine;
    if (line.payloads) payloads = line.payloads;
    for (const thread of line.threads ?? []) threads.set(thread.id, thread);
    for (const id of line.dropped ?? []) threads.delete(id);
  }
  return { payloads, threads };
}

/** An execution as its state lines describe it (loaded again after it was evicted). */
export function executionFromLines(
  record: ExecutionRecord,
  stateLines: number[],
  journal: Journal,
  machine: StateMachine,
): Execution {
  const { payloads, threads } = foldStateLines(lines(stateLines, journal));
  const execution = new Execution(record, payloads, machine);
  for (const thread of threads.values()) execution.addThread(thread);
  return execution;
}

/** An execution's events from its history lines: each id once (the last written), below `nextEventId`. */
export function collectHistory(texts: Iterable<string>, nextEventId: number): HistoryEvent[] {
  const byId = new Map<number, HistoryEvent>();
  for (const text of texts) {
    let line: HistoryLine;
    try {
      line = JSON.parse(text) as HistoryLine;
    } catch {
      continue; // a line the replay could not vouch for (it does not parse history lines)
    }
    for (const stored of line.events) {
      const event = eventOf(stored);
      if (event.id < nextEventId) byId.set(event.id, event);
    }
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Events read from disk followed by those not journaled yet (which replace any with their ids). */
export function withPending(events: HistoryEvent[], pending: HistoryEvent[]): HistoryEvent[] {
  const first = pending[0];
  return first ? [...events.filter((e) => e.id < first.id), ...pending] : events;
}

/** The execution key of a history line from its first bytes, without parsing the events. */
export function historyKey(bytes: Buffer, start: number, end: number): number | null {
  const head = bytes.toString('latin1', start, Math.min(end, start + 40));
  const m = /^\{"history":(\d+),"events":\[/.exec(head);
  return m && bytes[end - 1] === 0x7d ? Number(m[1]) : null;
}

/** A state machine revision as its journal line holds it (the compiled form is rebuilt on replay). */
export function machineRecord(m: StateMachine): StateMachineRecord {
  const { arn, name, definition, roleArn, type, createdAt, deleted, revision } = m;
  return { arn, name, definition, roleArn, type, createdAt, deleted, revision };
}

/** The text of the lines at flat [fileId, offset, length] triples. */
export function* lines(locations: number[], journal: Journal): Generator<string> {
  for (let i = 0; i < locations.length; i += 3) {
    yield journal.read(locations.slice(i, i + 3) as Location);
  }
}
