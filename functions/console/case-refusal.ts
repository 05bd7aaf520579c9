import type { Field, Service } from '../../workflows/schema';
import { findStep } from '../domain/definitions';
import type { Locale } from '../domain/model';
import { yesNoValue } from '../pages/form';
import { esc } from '../pages/html';
import { TEXT } from '../pages/i18n';
import type { ConflictError } from '../shared/errors';
import { STAFF_TEXT, type Text } from './error-texts';
import { alertBox } from './layout';

// A step's answer that the case refused (409: the step no longer waits, or the case closed) comes back on
// the case page, not on an error page: what the caseworker typed is not lost. While the step is open again,
// its form holds the answer (case-page.ts); otherwise the box lists it, to copy into a note or a new case.

export interface StepRefusal {
  stepId: string;
  /** The refusal's code; 'STEP_NOT_OPEN:PENDING' for a step that has not opened yet (error-texts.ts). */
  code: string;
  /** The form's fields as sent. */
  values: Record<string, string>;
}

/** What the refusal means, said on the case itself (error-texts.ts says it on the error page). */
const ON_CASE: Readonly<Record<string, Text>> = {
  STEP_NOT_OPEN: {
    nl: 'Deze stap wachtte niet (meer) op een antwoord: hij was al ingevuld, door u of een collega, of de zaak ging verder. Wat u verstuurde is niet opgeslagen.',
    en: 'This step was not waiting for an answer (any more): it was answered already, by you or a colleague, or the case moved on. What you sent was not saved.',
  },
  'STEP_NOT_OPEN:PENDING': {
    nl: 'Deze stap is nog niet aan de beurt. Wat u verstuurde is niet opgeslagen.',
    en: 'This step has not opened yet. What you sent was not saved.',
  },
  STEP_REOPENED: {
    nl: 'Deze stap is opnieuw geopend sinds u het formulier opende: de fase is opnieuw begonnen. Wat u verstuurde is niet opgeslagen; het staat hieronder weer in het formulier. Lees wat er nu staat, pas het zo nodig aan en verstuur het opnieuw.',
    en: 'This step opened again since you loaded the form: its stage started over. What you sent was not saved; it is back in the form below. Read what the case holds now, change it if needed and send it again.',
  },
  TOKEN_EXPIRED: {
    nl: 'Er ging net iets mis, en wat u verstuurde is niet opgeslagen. Staat de stap hieronder nog open, verstuur het dan opnieuw.',
    en: 'Something went wrong just now, and what you sent was not saved. If the step below is still open, send it again.',
  },
  CASE_FAILED: {
    nl: 'Deze zaak is vastgelopen (zie hieronder), en wat u verstuurde is niet opgeslagen.',
    en: 'This case has failed (see below), and what you sent was not saved.',
  },
};

/** A refusal without a text of its own. */
const NOT_SAVED: Text = {
  nl: 'Dat kan nu niet, en wat u verstuurde is niet opgeslagen.',
  en: 'That is not possible now, and what you sent was not saved.',
};
const SENT: Text = { nl: 'Wat u verstuurde', en: 'What you sent' };

/** The refusal of an answer to `stepId`, with what was typed. */
export function stepRefusal(
  error: ConflictError,
  stepId: string,
  values: Record<string, string>,
): StepRefusal {
  const pending = error.code === 'STEP_NOT_OPEN' && error.details?.status === 'PENDING';
  return { stepId, code: pending ? 'STEP_NOT_OPEN:PENDING' : error.code, values };
}

/**
 * The box at the top of the case page. `formShown`: the step's form is on the page again and holds the
 * answer, so the box need not list it.
 */
export function refusalSection(
  refusal: StepRefusal,
  service: Service,
  locale: Locale,
  formShown: boolean,
): string {
  const said = (ON_CASE[refusal.code] ?? STAFF_TEXT[refusal.code] ?? NOT_SAVED)[locale];
  const sent = formShown ? '' : sentList(refusal, service, locale);
  return alertBox(`<p>${esc(said)}</p>${sent}`, true);
}

/** A field's value as typed, a choice by its option's label and yes or no in words. */
function shownValue(field: Field, value: string, locale: Locale): string {
  if (field.type === 'choice') return field.options.find((o) => o.value === value)?.label[locale] ?? value;
  const yesNo = field.type === 'yesNo' ? yesNoValue(value) : undefined;
  return yesNo === 'yes' ? TEXT[locale].yes : yesNo === 'no' ? TEXT[locale].no : value;
}

/** The fields as typed, by their labels. Blank fields are left out. */
function sentList(refusal: StepRefusal, service: Service, locale: Locale): string {
  const fields = findStep(service, refusal.stepId)?.step.form.fields ?? [];
  const rows = fields.flatMap((field) => {
    const value = refusal.values[field.id]?.trim();
    if (!value) return [];
    return [`<dt>${esc(field.label[locale])}</dt><dd>${esc(shownValue(field, value, locale))}</dd>`];
  });
  return rows.length ? `<p>${SENT[locale]}:</p><dl>${rows.join('')}</dl>` : '';
}
