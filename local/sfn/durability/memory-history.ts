/**
 * The history of one execution of an in-memory engine, which keeps every history for as long as
 * it runs. Kept as event objects, a finished 8-state execution holds ~60 small objects (event,
 * details, boxed timestamp), and collecting the growing pile of them was ~30% of the engine's
 * CPU. Here the events are taken apart as they arrive: their numbers go to one array of unboxed
 * doubles, their type, state name and value (the JSON value the interpreter already holds) to one
 * flat array, and the event objects die young. `events()` builds them again for
 * GetExecutionHistory. Events of other shapes are kept whole.
 */
import type { HistoryEvent } from '../interpreter/history';
import type { Json } from '../language/json';

/** Numbers per event: timestamp, id, previousEventId. Fields per event: type, name, value. */
const NUMBERS = 3;
const FIELDS = 3;
/** Marks an event kept whole: its object is the next field. */
const WHOLE = Symbol('whole event');
/** Events after which nothing is added until a redrive. */
const CLOSING = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

interface StateDetails {
  name: string;
  inputValue?: Json;
  outputValue?: Json;
}

/**
 * The details of a StateEntered/StateExited event as History.entered/exited write them (a name
 * and the value), else undefined.
 */
function stateDetails(event: HistoryEvent): StateDetails | undefined {
  const entered = event.stateEnteredEventDetails as StateDetails | undefined;
  if (entered) return 'inputValue' in entered ? entered : undefined;
  const exited = event.stateExitedEventDetails as StateDetails | undefined;
  return exited && 'outputValue' in exited ? exited : undefined;
}

export class MemoryHistory {
  /** timestamp, id, previousEventId of each event; only numbers, so V8 keeps them unboxed. */
  private numbers: number[] = [];
  private fields: unknown[] = [];

  get length(): number {
    return this.fields.length / FIELDS;
  }

  push(event: HistoryEvent): void {
    this.numbers.push(event.timestamp, event.id, event.previousEventId);
    const details = stateDetails(event);
    if (details === undefined) this.fields.push(WHOLE, event, undefined);
    else if (event.stateEnteredEventDetails) this.fields.push(event.type, details.name, details.inputValue);
    else this.fields.push(event.type, details.name, details.outputValue);
    // Arrays grow by half again and more: once the execution closed, keep copies of exact size.
    if (CLOSING.has(event.type)) {
      this.numbers = this.numbers.slice();
      this.fields = this.fields.slice();
    }
  }

  events(): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    for (let i = 0; i < this.length; i++) {
      const type = this.fields[i * FIELDS];
      const name = this.fields[i * FIELDS + 1];
      const value = this.fields[i * FIELDS + 2] as Json;
      if (type === WHOLE) {
        events.push(name as HistoryEvent);
        continue;
      }
      const event: HistoryEvent = {
        timestamp: this.numbers[i * NUMBERS] as number,
        type: type as string,
        id: this.numbers[i * NUMBERS + 1] as number,
        previousEventId: this.numbers[i * NUMBERS + 2] as number,
      };
      if ((type as string).endsWith('StateEntered'))
        event.stateEnteredEventDetails = { name, inputValue: value };
      else event.stateExitedEventDetails = { name, outputValue: value };
      events.push(event);
    }
    return events;
  }
}
