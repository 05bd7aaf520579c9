import { durationSeconds } from '../../workflows/duration';
import type { Step } from '../../workflows/schema';
import type { StepRecord } from '../domain/model';
import type { Notice } from '../domain/open-step-payload';

// Where a step's wait stands after its schedule moved (retime-step): its reminders, due date and expiry
// lie `shift` later (or earlier) than the definition's offsets from the moment it opened. The wait
// re-arms in the segment `now` falls in, until that segment's end; with that segment's notice only if
// this visit has not sent it yet (an invite always has been; a reminder or escalation counts on the
// step item), so nobody is told twice. Past the expiry the step expires.

export interface Retimed {
  expired: boolean;
  /** The notice open-step sends when the wait re-arms; 'none': it only records the new token. */
  notice: Notice;
  /** How long the re-armed wait lasts (at least one second). */
  seconds: number;
  /** The shift this was computed with: open-step re-times again when the step's has changed since. */
  shiftSeconds: number;
}

/** Short enough to come back soon and long enough to be a real wait: a step answered between waits. */
const HANDOVER_SECONDS = 60;

export function nextSegment(
  definition: Pick<Step, 'reminders' | 'due' | 'expiry'>,
  step: StepRecord | undefined,
  visit: number,
  now: string,
): Retimed {
  const current = step?.visit === visit ? step : undefined;
  const shiftSeconds = current?.retime?.visit === visit ? current.retime.shiftSeconds : 0;
  // Not this visit's step, or answered between two waits: a short wait whose open-step call sorts it
  // out (stale, or the answer handed to the new token). Expiring here could lose that answer.
  if (current?.status !== 'OPEN')
    return { expired: false, notice: 'none', seconds: HANDOVER_SECONDS, shiftSeconds };
  const opened = Date.parse(current.openedAt);
  const offsets = [...definition.reminders, definition.due, definition.expiry].map(durationSeconds);
  const bounds = offsets.map((s) => opened + (s + shiftSeconds) * 1000);
  const at = Date.parse(now);
  const expiry = bounds[bounds.length - 1] ?? at;
  if (at >= expiry) return { expired: true, notice: 'none', seconds: 1, shiftSeconds };
  // Segment k: 0 the invite's, 1..R the reminders', R + 1 the escalation's.
  const k = bounds.slice(0, -1).filter((b) => b <= at).length;
  const reminders = definition.reminders.length;
  const end = bounds[k] ?? expiry;
  const seconds = Math.max(1, Math.ceil((end - at) / 1000));
  const notice: Notice =
    k === 0
      ? 'none'
      : k <= reminders
        ? current.reminders >= k
          ? 'none'
          : 'reminder'
        : current.escalated
          ? 'none'
          : 'escalation';
  return { expired: false, notice, seconds, shiftSeconds };
}
