/**
 * History events in the GetExecutionHistory shape. Each thread remembers the id of its last
 * event so `previousEventId` chains the way AWS chains them (a branch's first event points at
 * its ParallelStateStarted / MapIterationStarted event).
 */
import type { Json } from '../language/json';
import type { Execution, Thread } from './execution';
import type { HistoryEvent } from './execution-records';
import type { ExecutionChanges, HistoryWriter } from './ports';

/** `TaskStateEntered` → `stateEnteredEventDetails`, `MapIterationStarted` → `mapIterationStartedEventDetails`... */
export function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  if (type.startsWith('MapIteration')) return `mapIteration${type.slice(12)}EventDetails`;
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}

/**
 * `${stateType}${suffix}`, built once per pair: the types of a kept history then share a few
 * strings instead of holding a concatenated one per event.
 */
const eventTypes = { StateEntered: new Map<string, string>(), StateExited: new Map<string, string>() };
function eventType(stateType: string, suffix: 'StateEntered' | 'StateExited'): string {
  const types = eventTypes[suffix];
  let type = types.get(stateType);
  if (type === undefined) {
    type = `${stateType}${suffix}`;
    types.set(stateType, type);
  }
  return type;
}

export class History implements HistoryWriter {
  constructor(
    private readonly store: ExecutionChanges,
    private readonly now: () => number,
  ) {}

  emit(execution: Execution, thread: Thread | null, type: string, details?: Record<string, unknown>): number {
    // Distributed Map children are child executions in AWS, with histories of their own: keeping
    // their events out of the parent's history keeps it (and the journal) small for big maps.
    if (thread?.quiet) return thread.lastEventId;
    const record = execution.record;
    const id = record.nextEventId++;
    const event: HistoryEvent = {
      timestamp: this.now() / 1000,
      type,
      id,
      previousEventId: thread ? thread.lastEventId : id - 1,
    };
    if (details) event[detailsKey(type)] = details;
    if (thread) {
      thread.lastEventId = id;
      this.store.touchThread(execution, thread);
    }
    this.store.addEvent(execution, event);
    this.store.touchExecution(execution);
    return id;
  }

  // State inputs/outputs are kept as values (`inputValue` / `outputValue`) and turned into the
  // API's JSON strings only when the history is read: most histories are never read, and the
  // journal serialises a value more cheaply than an escaped string. Values are never mutated.
  entered(execution: Execution, thread: Thread, type: string, name: string, input: Json): number {
    return this.emit(execution, thread, eventType(type, 'StateEntered'), { name, inputValue: input });
  }

  exited(execution: Execution, thread: Thread, type: string, name: string, output: Json): number {
    return this.emit(execution, thread, eventType(type, 'StateExited'), { name, outputValue: output });
  }
}

/** The API form of a stored event: epoch-seconds timestamp → Date, stored values → JSON strings. */
export function eventView(e: HistoryEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e, timestamp: new Date(e.timestamp * 1000) };
  const entered = e.stateEnteredEventDetails as { name: string; inputValue?: Json } | undefined;
  if (entered && 'inputValue' in entered) {
    out.stateEnteredEventDetails = {
      name: entered.name,
      input: JSON.stringify(entered.inputValue),
      inputDetails: { truncated: false },
    };
  }
  const exited = e.stateExitedEventDetails as { name: string; outputValue?: Json } | undefined;
  if (exited && 'outputValue' in exited) {
    out.stateExitedEventDetails = {
      name: exited.name,
      output: JSON.stringify(exited.outputValue),
      outputDetails: { truncated: false },
    };
  }
  return out;
}
