import type { Field, Step } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import { esc } from './html';
import { fieldMessage, TEXT } from './i18n';

// A plain HTML form for one citizen step, generated from its definition: no JavaScript, every
// control labelled, errors next to their field and linked with aria-describedby.

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

function describedBy(id: string, field: Field, error: string | undefined): string {
  const ids = [field.help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(' ');
  return ids ? ` aria-describedby="${ids}"` : '';
}

function notes(id: string, field: Field, error: string | undefined, locale: Locale): string {
  const help = field.help
    ? `<div class="utrecht-form-field-description" id="${id}-help">${esc(field.help[locale])}</div>`
    : '';
  const err = error
    ? `<div class="utrecht-form-field-error-message" id="${id}-error">${esc(fieldMessage(error, locale))}</div>`
    : '';
  return help + err;
}

function radios(
  id: string,
  name: string,
  options: { value: string; label: string }[],
  current: string | undefined,
) {
  return options
    .map(
      (o, i) =>
        `<div class="utrecht-form-field utrecht-form-field--radio"><div class="utrecht-form-field__label"><label class="utrecht-form-label utrecht-form-label--radio" for="${id}-${i}"><input type="radio" class="utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input" id="${id}-${i}" name="${esc(name)}" value="${esc(o.value)}"${current === o.value ? ' checked' : ''}> ${esc(o.label)}</label></div></div>`,
    )
    .join('');
}

/** The radio to check again after a failed post, whichever spelling of yes/no was sent. */
export function yesNoValue(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'ja' || v === 'yes' || v === 'true') return 'yes';
  if (v === 'nee' || v === 'no' || v === 'false') return 'no';
  return value;
}

/**
 * Where an error summary links for a field: its control (`f-<stepId>-<fieldId>`), or for a radio group
 * its first option, the element that takes focus.
 */
export function fieldTarget(stepId: string, field: Pick<Field, 'id' | 'type'>): string {
  return `f-${stepId}-${field.id}${field.type === 'yesNo' || field.type === 'choice' ? '-0' : ''}`;
}

/** One labelled control; its id is `f-<stepId>-<fieldId>`, its name the field id. */
export function control(stepId: string, field: Field, state: FormState, locale: Locale): string {
  const t = TEXT[locale];
  const id = `f-${stepId}-${field.id}`;
  const error = state.errors[field.id];
  const value = state.values[field.id];
  const label = `${esc(field.label[locale])}${field.required ? '' : ` ${t.optional}`}`;
  // aria-required, not required: the server checks (novalidate), and :invalid would paint an untouched
  // form red in the NL Design System styles.
  const required = field.required ? ' aria-required="true"' : '';
  const common = `id="${id}" name="${esc(field.id)}"${required}${error ? ' aria-invalid="true"' : ''}${describedBy(id, field, error)}`;
  const box = (kind: 'textbox' | 'textarea') =>
    `class="utrecht-${kind} utrecht-${kind}--html-${kind === 'textbox' ? 'input' : 'textarea'}${error ? ` utrecht-${kind}--invalid` : ''}"`;
  const wrap = (control: string) =>
    `<div class="utrecht-form-field utrecht-form-field--text${error ? ' utrecht-form-field--invalid' : ''}"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>${extra}<div class="utrecht-form-field__input">${control}</div></div>`;
  const extra = notes(id, field, error, locale);
  switch (field.type) {
    case 'choice':
    case 'yesNo': {
      const options =
        field.type === 'choice'
          ? field.options.map((o) => ({ value: o.value, label: o.label[locale] }))
          : [
              { value: 'yes', label: t.yes },
              { value: 'no', label: t.no },
            ];
      const aria = `${error ? ' aria-invalid="true"' : ''}${describedBy(id, field, error)}`;
      const current = field.type === 'yesNo' ? yesNoValue(value) : value;
      return `<fieldset role="radiogroup" class="utrecht-form-fieldset${error ? ' utrecht-form-fieldset--invalid' : ''}"${required}${aria}><legend class="utrecht-form-fieldset__legend utrecht-form-label">${label}</legend>${extra}${radios(id, field.id, options, current)}</fieldset>`;
    }
    case 'longText':
      return wrap(
        `<textarea ${box('textarea')} ${common} rows="4" maxlength="${field.maxLength}">${esc(value)}</textarea>`,
      );
    case 'text':
      return wrap(
        `<input type="text" ${box('textbox')} ${common} maxlength="${field.maxLength}" value="${esc(value)}">`,
      );
    case 'date':
      return wrap(`<input type="date" ${box('textbox')} ${common} value="${esc(value)}">`);
    case 'number': {
      const bounds = `${field.min === undefined ? '' : ` min="${field.min}"`}${field.max === undefined ? '' : ` max="${field.max}"`}`;
      const mode = field.integer ? 'numeric" step="1' : 'decimal" step="any';
      return wrap(
        `<input type="number" ${box('textbox')} ${common} inputmode="${mode}"${bounds} value="${esc(value)}">`,
      );
    }
  }
}

/** The hidden field that says when the step had opened as its form was served (submit.ts, STEP_REOPENED). */
export const OPENED_FIELD = '_opened';

/** A posted form's fields without OPENED_FIELD, and its value when there is one. */
export function withoutOpened(posted: Record<string, string>): {
  openedAt?: string;
  values: Record<string, string>;
} {
  const { [OPENED_FIELD]: opened, ...values } = posted;
  return typeof opened === 'string' && opened !== '' ? { openedAt: opened, values } : { values };
}

/** `openedAt`: when the step opened (StepView.openedAt), sent back so a stale form is refused. */
export function stepForm(
  step: Step,
  action: string,
  csrf: string,
  state: FormState,
  locale: Locale,
  openedAt?: string,
): string {
  const fields = step.form.fields.map((f) => control(step.id, f, state, locale)).join('');
  const opened = openedAt ? `<input type="hidden" name="${OPENED_FIELD}" value="${esc(openedAt)}">` : '';
  return `<form class="utrecht-form" method="post" action="${esc(action)}" novalidate><input type="hidden" name="_csrf" value="${esc(csrf)}">${opened}${fields}<div class="utrecht-button-group"><button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">${TEXT[locale].send}</button></div></form>`;
}
