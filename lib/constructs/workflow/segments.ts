import { durationSeconds } from '../../../workflows/duration';
import type { Step } from '../../../workflows/schema';

export type Notice = 'invite' | 'reminder' | 'escalation';

/** One wait of a step: the open-step function is invoked with `notice`, then the task waits `seconds`. */
export interface WaitSegment {
  readonly notice: Notice;
  /** 1-based reminder number, for readable state names. */
  readonly reminder?: number;
  readonly seconds: number;
}

/**
 * Splits a step's waiting time at its offsets (all measured from the moment the step opens):
 * invite until the first reminder (or the due date), one segment per reminder until the next
 * reminder (or the due date), then the escalation from the due date until expiry.
 */
export function waitSegments(step: Pick<Step, 'reminders' | 'due' | 'expiry'>): WaitSegment[] {
  const reminders = step.reminders.map(durationSeconds);
  const due = durationSeconds(step.due);
  const expiry = durationSeconds(step.expiry);
  const bounds = [0, ...reminders, due];
  const segments: WaitSegment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const seconds = (bounds[i + 1] ?? 0) - (bounds[i] ?? 0);
    segments.push(i === 0 ? { notice: 'invite', seconds } : { notice: 'reminder', reminder: i, seconds });
  }
  segments.push({ notice: 'escalation', seconds: expiry - due });
  for (const s of segments) {
    // The schema guarantees increasing offsets; a zero wait would make Step Functions reject the machine.
    if (!(s.seconds > 0)) throw new Error(`wait segment '${s.notice}' must be longer than 0 seconds`);
  }
  return segments;
}
