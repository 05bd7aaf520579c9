/**
 * What `bench:cost` makes the partners do, shared by the run on the real runtime and the run of
 * the hand-minimal machine, so both see the same answers at the same moments.
 *
 * - happy: every step is answered as soon as its stage opens;
 * - slow: before a stage is answered the clock moves on to the latest due date of its steps, so
 *   every reminder and every escalation goes out, then every step is answered (before expiry).
 *
 * Answers never trigger a backTo rule: one pass through the stages.
 */
import { durationSeconds } from '../workflows/duration';
import type { Field, Stage, Step } from '../workflows/schema';

export type Pace = 'happy' | 'slow';
export const PACES: readonly Pace[] = ['happy', 'slow'];

type Value = string | number | boolean;

/** A valid value for a field that is not the value its step's backTo rule sends the case back on. */
function valueFor(field: Field, avoid: Value | undefined): Value {
  switch (field.type) {
    case 'yesNo':
      return avoid !== true;
    case 'choice':
      return (field.options.find((o) => o.value !== avoid) ?? field.options[0])?.value ?? '';
    case 'number': {
      const n = field.min ?? 0;
      return n === avoid ? n + 1 : n;
    }
    case 'date':
      return '2026-06-01';
    default:
      return avoid === 'ok' ? 'fine' : 'ok';
  }
}

/** The form data a partner submits for a step: every required field, nothing that goes back. */
export function answerFor(step: Step): Record<string, Value> {
  const data: Record<string, Value> = {};
  for (const field of step.form.fields) {
    if (!field.required) continue;
    const avoid = step.backTo?.when.field === field.id ? step.backTo.when.equals : undefined;
    data[field.id] = valueFor(field, avoid);
  }
  return data;
}

/**
 * Seconds the clock moves on before a stage is answered: 0 on the happy path, the stage's latest
 * due date on the slow one (every reminder and escalation has gone out, no step has expired).
 */
export function waitBeforeAnswers(stage: Stage, pace: Pace): number {
  if (pace === 'happy') return 0;
  const due = Math.max(...stage.steps.map((s) => durationSeconds(s.due)));
  const expiry = Math.min(...stage.steps.map((s) => durationSeconds(s.expiry)));
  if (!(due + 1 < expiry)) throw new Error(`stage ${stage.id}: a step expires before another is due`);
  return due + 1;
}
