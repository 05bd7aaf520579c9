import type { Service } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import { control, fieldTarget } from '../pages/form';
import { esc } from '../pages/html';
import { errorLine, fieldMessage } from '../pages/i18n';
import { alertBox } from './layout';
import { WORDS } from './text';

// Starting a case: the citizen's contact details and language. The hidden key makes a double
// submit of this one form land on the same case (the domain's Idempotency-Key).

export interface StartInput {
  service: Service;
  locale: Locale;
  base: string;
  csrf: string;
  idempotencyKey: string;
  values?: Record<string, string>;
  errors?: Record<string, string>;
}

export function startBody(input: StartInput): string {
  const t = WORDS[input.locale];
  const v = input.values ?? {};
  const errors = input.errors ?? {};
  const field = (id: string, label: string, type: string, extra = '') => {
    const error = errors[id];
    const err = error
      ? `<p class="error" id="${id}-error">${esc(fieldMessage(error, input.locale))}</p>`
      : '';
    const aria = error ? ` aria-invalid="true" aria-describedby="${id}-error"` : '';
    return `<div class="field"><label for="${id}">${label} <span class="help">${t.optional}</span></label>${err}<input type="${type}" id="${id}" name="${id}" value="${esc(v[id])}"${aria}${extra}></div>`;
  };
  const lang = v.locale === 'en' ? 'en' : 'nl';
  const contextField = (id: string) => input.service.context.find((f) => f.id === id);
  // A context field is a control of the 'context' form (pages/form.ts); the contact fields keep their ids.
  const anchor = (id: string) => {
    const field = contextField(id);
    return field ? fieldTarget('context', field) : id;
  };
  // Each error says which field it is about: two 'required' lines must not read the same.
  const labels: Record<string, string> = { name: t.name, phone: t.phone, email: t.email };
  const labelOf = (id: string) => contextField(id)?.label[input.locale] ?? labels[id] ?? id;
  const summary = Object.keys(errors).length
    ? alertBox(
        `<p>${t.fixErrors}</p><ul>${Object.entries(errors)
          .map(
            ([id, m]) =>
              `<li><a href="#${esc(anchor(id))}">${esc(errorLine(labelOf(id), m, input.locale))}</a></li>`,
          )
          .join('')}</ul>`,
        true,
      )
    : '';
  // The service's own facts about the household (the columns of a round's file besides contact).
  const context = input.service.context.length
    ? `<fieldset class="field"><legend>${t.contextLegend}</legend>${input.service.context
        .map((f) => control('context', f, { values: v, errors }, input.locale))
        .join('')}</fieldset>`
    : '';
  const action = `${input.base}/services/${encodeURIComponent(input.service.id)}/cases`;
  return `<h1>${t.newCase}: ${esc(input.service.title[input.locale])}</h1>${summary}
<form method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><input type="hidden" name="idempotencyKey" value="${esc(input.idempotencyKey)}">
${field('name', t.name, 'text', ' maxlength="200" autocomplete="off"')}${field('phone', t.phone, 'tel', ' maxlength="40" autocomplete="off"')}${field('email', t.email, 'email', ' maxlength="254" autocomplete="off"')}
<div class="field"><label><input type="checkbox" name="handover" value="in-person"${v.handover === 'in-person' ? ' checked' : ''}> ${t.handoverInPerson}</label></div>
<fieldset class="field"><legend>${t.language}</legend><label><input type="radio" name="locale" value="nl"${lang === 'nl' ? ' checked' : ''}> Nederlands</label><label><input type="radio" name="locale" value="en"${lang === 'en' ? ' checked' : ''}> English</label></fieldset>
${context}${field('reference', t.reference, 'text', ' maxlength="100"')}<button type="submit" class="utrecht-button utrecht-button--primary-action">${t.start}</button></form>`;
}
