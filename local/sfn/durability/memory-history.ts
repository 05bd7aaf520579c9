/**
 * The history of one execution of an in-memory engine, which keeps every history for as long as
 * it runs. Kept as event objects, a finished 8-state execution holds ~60 small objects (event,
 * details, boxed timestamp), and collecting the growing pile of them was ~30% of the engine's
 * CPU. So a running execution's events wait whole in a list, and when it closes they are packed
 * once into two arrays of exact size: their numbers into unboxed doubles, their type, state name
 * and value (the JSON value the interpreter already holds) into one flat array. The event objects
 * then die young. (Packing each event as it came, into arrays that grew and were trimmed at the
 * end, was about 30% of what the engine allocated: 14% more young-generation collections.)
 * Other events as History.emit builds them (the four fields and their type's details) keep only
 * their details object. `events()` builds them again for GetExecutionHistory. Events of other
 * shapes are kept whole.
 */
import type { HistoryEvent } from '../interpreter/execution-records';
import { detailsKey } from '../interpreter/history';
import { eventOf, type StoredEvent, stateDetails, stateValue } from './event-codec';

/** Numbers per event: timestamp, id, previousEventId. Fields per event: type, name, value. */
const NUMBERS = 3;
const FIELDS = 3;
/** Marks an event kept whole: its object is the next field. */
const WHOLE = Symbol('whole event');
/** In the name's field: an event of the four fields and its type's details (the value's field). */
const DETAILS = Symbol('details only');
/** Events after which nothing is added until a redrive. */
const CLOSING = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);
/** The running events of every closed history (until a redrive adds some). */
const NONE: readonly HistoryEvent[] = Object.freeze([]);

export class MemoryHistory {
  /** timestamp, id, previousEventId of each packed event. */
  private numbers: number[] = [];
  private fields: unknown[] = [];
  /** Events since the execution (re)started, whole until it closes. */
  private running = [] as HistoryEvent[];

  get length(): number {
    return this.fields.length / FIELDS + this.running.length;
  }

  push(event: HistoryEvent): void {
    if (this.running === NONE) this.running = [];
    this.running.push(event);
    if (CLOSING.has(event.type)) this.pack();
  }

  events(): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    for (let i = 0; i < this.fields.length / FIELDS; i++) events.push(this.packed(i));
    return events.concat(this.running);
  }

  private pack(): void {
    const packed = this.fields.length / FIELDS;
    const count = packed + this.running.length;
    // Filled with a double first, so that V8 keeps them unboxed (timestamps are no small integers).
    const numbers = new Array<number>(count * NUMBERS).fill(0.5);
    for (let i = 0; i < this.numbers.length; i++) numbers[i] = this.numbers[i] as number;
    // Exact sizes, filled in place: an array that grows takes half again as much, and more.
    const fields = new Array<unknown>(count * FIELDS);
    for (let f = 0; f < this.fields.length; f++) fields[f] = this.fields[f];
    let n = packed * NUMBERS;
    let f = packed * FIELDS;
    for (const event of this.running) {
      numbers[n++] = event.timestamp;
      numbers[n++] = event.id;
      numbers[n++] = event.previousEventId;
      // The journal's compact form of an event (event-codec.ts) says which events to take apart.
      const state = stateDetails(event);
      if (state) {
        fields[f++] = event.type;
        fields[f++] = state.name;
        fields[f++] = stateValue(state);
        continue;
      }
      const details = event[detailsKey(event.type)];
      const plain = Object.keys(event).length === (details === undefined ? 4 : 5);
      fields[f++] = plain ? event.type : WHOLE;
      fields[f++] = plain ? DETAILS : event;
      fields[f++] = plain ? details : undefined;
    }
    this.numbers = numbers;
    this.fields = fields;
    this.running = NONE as HistoryEvent[];
  }

  private packed(i: number): HistoryEvent {
    const [type, name, value] = this.fields.slice(i * FIELDS, i * FIELDS + FIELDS);
    if (type === WHOLE) return name as HistoryEvent;
    const [timestamp, id, previousEventId] = this.numbers.slice(
      i * NUMBERS,
      i * NUMBERS + NUMBERS,
    ) as unknown as [number, number, number];
    if (name !== DETAILS) return eventOf([id, previousEventId, timestamp, type, name, value] as StoredEvent);
    const event: HistoryEvent = { timestamp, type: type as string, id, previousEventId };
    if (value !== undefined) event[detailsKey(type as string)] = value;
    return event;
  }
}
