import { durationSeconds } from '../../workflows/duration';
import type { Step } from '../../workflows/schema';
import { ValidationError } from '../shared/errors';

// What a definition allows a proposal to do, and the calendar arithmetic of a proposed date. A due
// date is a moment (the step's opening plus its due period); a proposal names a day in the Netherlands'
// calendar, and moves the moment by whole days, so the time of day stays what it was.

const DAY_SECONDS = 86_400;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface ProposalLimits {
  /** How far the due date may move from the definition's, either way. */
  maxShiftSeconds: number;
  /** Proposals per side per visit of the step. */
  perSide: number;
}

/** The step's limits, or undefined when its definition does not take proposals. */
export function limitsOf(step: Step): ProposalLimits | undefined {
  const settings = step.proposals;
  if (!settings) return undefined;
  return {
    maxShiftSeconds: durationSeconds(settings.maxShift ?? step.expiry),
    perSide: settings.perSide,
  };
}

/** A real calendar day (no 2026-02-30), or a 400 naming the field. */
export function parseDay(value: string): string {
  const match = DATE.exec(value);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (!match || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    throw new ValidationError('Give the new due date as a day, YYYY-MM-DD.', {
      fields: { dueAt: 'Not a date (YYYY-MM-DD).' },
    });
  return value;
}

/** Whole days from one day to another, in seconds. */
export function daysBetween(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 1000 / DAY_SECONDS) *
    DAY_SECONDS
  );
}

/** A moment moved by `seconds`. */
export function shifted(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
