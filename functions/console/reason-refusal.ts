import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { ConflictError, ValidationError } from '../shared/errors';
import { STAFF_TEXT, type Text } from './error-texts';
import { alertBox } from './layout';

// The case's forms that take a reason (stop, erase, reopen): a refusal comes back on the case, in the staff
// member's language and with the reason they typed back in its form, not on an error page that loses it.

export type ReasonForm = 'cancel' | 'erase' | 'reopen';

export interface ReasonRefusal {
  form: ReasonForm;
  /** The refusal's code; 'CASE_NOT_COMPLETED:ACTIVE' for a case that runs (again). */
  code: string;
  /** The reason as typed. */
  reason: string;
}

/** A reason the form's rule refused (blank, too long, on more than one line). */
const NO_REASON: Record<ReasonForm, Text> = {
  cancel: {
    nl: 'Geef in één regel een reden op waarom de zaak stopt. Er is niets gewijzigd.',
    en: 'Give the reason the case stops, on one line. Nothing was changed.',
  },
  erase: {
    nl: 'Geef in één regel een reden op voor het wissen. Er is niets gewist.',
    en: 'Give the reason for erasing, on one line. Nothing was erased.',
  },
  reopen: {
    nl: 'Zeg in één regel wat er nog niet klaar is. Er is niets gewijzigd.',
    en: 'Say what is not done, on one line. Nothing was changed.',
  },
};

/** Refusals that read differently on the case than on the error page (error-texts.ts). */
const ON_CASE: Readonly<Record<string, Text>> = {
  // Reopened by a colleague a moment ago (or never completed): the case runs, and nothing changed.
  'CASE_NOT_COMPLETED:ACTIVE': {
    nl: 'Deze zaak loopt al (weer): een collega heeft hem net heropend, of hij was nog niet afgerond. Er is niets gewijzigd.',
    en: 'This case is running (again): a colleague has just reopened it, or it was not completed yet. Nothing was changed.',
  },
};

const NOT_DONE: Text = {
  nl: 'Dat kan nu niet; er is niets gewijzigd.',
  en: 'That is not possible now; nothing was changed.',
};
const YOUR_REASON: Text = { nl: 'Uw reden', en: 'Your reason' };

/** The refusal of a reason form, or undefined for an error that is no refusal of it (it goes on). */
export function reasonRefusal(form: ReasonForm, error: unknown, reason: unknown): ReasonRefusal | undefined {
  const typed = typeof reason === 'string' ? reason : '';
  if (error instanceof ValidationError) return { form, code: 'VALIDATION_FAILED', reason: typed };
  if (!(error instanceof ConflictError)) return undefined;
  const running = error.code === 'CASE_NOT_COMPLETED' && error.details?.status === 'ACTIVE';
  return { form, code: running ? 'CASE_NOT_COMPLETED:ACTIVE' : error.code, reason: typed };
}

/**
 * The box at the top of the case page. `formShown`: the form is on the page again with the reason in it;
 * otherwise the box repeats the reason, to copy.
 */
export function reasonRefusalSection(refusal: ReasonRefusal, locale: Locale, formShown: boolean): string {
  const text =
    refusal.code === 'VALIDATION_FAILED'
      ? NO_REASON[refusal.form]
      : (ON_CASE[refusal.code] ?? STAFF_TEXT[refusal.code] ?? NOT_DONE);
  const typed = refusal.reason.trim();
  const repeat = !formShown && typed ? `<p>${YOUR_REASON[locale]}: ${esc(typed)}</p>` : '';
  return alertBox(`<p>${esc(text[locale])}</p>${repeat}`, true);
}

/** The reason to put back in `form`'s field: the refused one, else none. */
export const reasonFor = (refusal: ReasonRefusal | undefined, form: ReasonForm): string =>
  refusal?.form === form ? refusal.reason : '';
