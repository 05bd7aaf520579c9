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
  const help = field.help ? `<p class="help" id="${id}-help">${esc(field.help[locale])}</p>` : '';
  const err = error ? `<p class="error" id="${id}-error">${esc(fieldMessage(error, locale))}</p>` : '';
  return help + err;
}

function radios(
  id: string,
  name: string,
  options: { value: string; label: string }[],
  current: string | undefined,
  req: boolean,
) {
  return options
    .map(
      (o, i) =>
        `<label><input type="radio" id="${id}-${i}" name="${esc(name)}" value="${esc(o.value)}"${current === o.value ? ' checked' : ''}${req ? ' required' : ''}> ${esc(o.label)}</label>`,
    )
    .join('');
}

/** The radio to check again after a failed post, whichever spelling of yes/no was sent. */
function yesNoValue(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  if (v === 'ja' || v === 'yes' || v === 'true') return 'yes';
  if (v === 'nee' || v === 'no' || v === 'false') return 'no';
  return value;
}

function control(stepId: string, field: Field, state: FormState, locale: Locale): string {
  const t = TEXT[locale];
  const id = `f-${stepId}-${field.id}`;
  const error = state.errors[field.id];
  const value = state.values[field.id];
  const label = `${esc(field.label[locale])}${field.required ? '' : ` <span class="help">${t.optional}</span>`}`;
  const common = `id="${id}" name="${esc(field.id)}"${field.required ? ' required' : ''}${error ? ' aria-invalid="true"' : ''}${describedBy(id, field, error)}`;
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
      return `<fieldset class="field"${aria}><legend>${label}</legend>${extra}${radios(id, field.id, options, current, field.required)}</fieldset>`;
    }
    case 'longText':
      return `<div class="field"><label for="${id}">${label}</label>${extra}<textarea ${common} rows="4" maxlength="${field.maxLength}">${esc(value)}</textarea></div>`;
    case 'text':
      return `<div class="field"><label for="${id}">${label}</label>${extra}<input type="text" ${common} maxlength="${field.maxLength}" value="${esc(value)}"></div>`;
    case 'date':
      return `<div class="field"><label for="${id}">${label}</label>${extra}<input type="date" ${common} value="${esc(value)}"></div>`;
    case 'number': {
      const bounds = `${field.min === undefined ? '' : ` min="${field.min}"`}${field.max === undefined ? '' : ` max="${field.max}"`}`;
      const mode = field.integer ? 'numeric" step="1' : 'decimal" step="any';
      return `<div class="field"><label for="${id}">${label}</label>${extra}<input type="number" ${common} inputmode="${mode}"${bounds} value="${esc(value)}"></div>`;
    }
  }
}

export function stepForm(step: Step, action: string, csrf: string, state: FormState, locale: Locale): string {
  const fields = step.form.fields.map((f) => control(step.id, f, state, locale)).join('');
  return `<form method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(csrf)}">${fields}<button type="submit">${TEXT[locale].send}</button></form>`;
}
