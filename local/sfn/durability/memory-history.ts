/**
 * The history of one execution of an in-memory engine, which keeps every history for as long as
 * it runs. Kept as event objects, a finished 8-state execution holds ~60 small objects (event,
 * details, boxed timestamp), and collecting the growing pile of them was ~30% of the engine's
 * CPU. Here the events are taken apart as they arrive: their numbers go to one array of unboxed
 * doubles, their type, state name and value (the JSON value the interpreter already holds) to one
 * flat array, and the event objects die young. Other events as History.emit builds them (the
 * four fields and their type's details) keep only their details object. `events()` builds them
 * again for GetExecutionHistory. Events of other shapes are kept whole.
 */
import type { HistoryEvent } from '../interpreter/execution-records';
import { detailsKey } from '../interpreter/history';
import { eventOf, type StoredEvent, storedEvent } from './event-codec';

/** Numbers per event: timestamp, id, previousEventId. Fields per event: type, name, value. */
const NUMBERS = 3;
const FIELDS = 3;
/** Marks an event kept whole: its object is the next field. */
const WHOLE = Symbol('whole event');
/** In the name's field: an event of the four fields and its type's details (the value's field). */
const DETAILS = Symbol('details only');
/** Events after which nothing is added until a redrive. */
const CLOSING = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

export class MemoryHistory {
  /** timestamp, id, previousEventId of each event; only numbers, so V8 keeps them unboxed. */
  private numbers: number[] = [];
  private fields: unknown[] = [];

  get length(): number {
    return this.fields.length / FIELDS;
  }

  push(event: HistoryEvent): void {
    // The journal's compact form of an event (event-codec.ts) says which events to take apart.
    const stored = storedEvent(event);
    if (Array.isArray(stored)) {
      const [id, previousEventId, timestamp, type, name, value] = stored;
      this.numbers.push(timestamp, id, previousEventId);
      this.fields.push(type, name, value);
    } else {
      this.numbers.push(event.timestamp, event.id, event.previousEventId);
      const details = event[detailsKey(event.type)];
      if (Object.keys(event).length === (details === undefined ? 4 : 5))
        this.fields.push(event.type, DETAILS, details);
      else this.fields.push(WHOLE, event, undefined);
    }
    // Arrays grow by half again and more: once the execution closed, keep copies of exact size.
    if (CLOSING.has(event.type)) {
      this.numbers = this.numbers.slice();
      this.fields = this.fields.slice();
    }
  }

  events(): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    for (let i = 0; i < this.length; i++) {
      const [type, name, value] = this.fields.slice(i * FIELDS, i * FIELDS + FIELDS);
      if (type === WHOLE) {
        events.push(name as HistoryEvent);
        continue;
      }
      const [timestamp, id, previousEventId] = this.numbers.slice(i * NUMBERS, i * NUMBERS + NUMBERS) as [
        number,
        number,
        number,
      ];
      if (name !== DETAILS) {
        events.push(eventOf([id, previousEventId, timestamp, type, name, value] as StoredEvent));
        continue;
      }
      const event: HistoryEvent = { timestamp, type: type as string, id, previousEventId };
      if (value !== undefined) event[detailsKey(type as string)] = value;
      events.push(event);
    }
    return events;
  }
}
