import type { Field, Service } from '../../workflows/schema';
import type { FieldValue, Locale } from '../domain/model';
import type { CaseDto, StepView } from '../domain/views';
import { type FormState, stepForm } from './form';
import { esc, page } from './html';
import { fieldMessage, formatDate, TEXT } from './i18n';

// The citizen's page: per stage two lanes (you / the provider), each step with its status, due date
// and what was submitted, and a form for every open citizen step while the case runs.

export interface CasePageInput {
  dto: CaseDto;
  service: Service;
  locale: Locale;
  /** Root-relative path of this page, e.g. /c/<token>. */
  basePath: string;
  csrf: string;
  done?: string;
  failed?: Failed;
}

/** The step whose posted form failed: invalid fields, or (retry) the engine stopped waiting just then. */
export type Failed = { stepId: string; retry?: boolean } & FormState;

function shown(field: Field | undefined, value: FieldValue, locale: Locale): string {
  const t = TEXT[locale];
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (field?.type === 'choice')
    return field.options.find((o) => o.value === value)?.label[locale] ?? String(value);
  if (field?.type === 'date' && typeof value === 'string') return formatDate(value, locale);
  return String(value);
}

function answers(fields: Field[], data: StepView['data'], locale: Locale): string {
  if (!data) return '';
  const rows = Object.entries(data).map(([key, value]) => {
    const field = fields.find((f) => f.id === key);
    return `<dt>${esc(field?.label[locale] ?? key)}</dt><dd>${esc(shown(field, value, locale))}</dd>`;
  });
  return rows.length ? `<dl>${rows.join('')}</dl>` : '';
}

function stepCard(view: StepView, input: CasePageInput): string {
  const { locale, service, dto } = input;
  const t = TEXT[locale];
  const def = service.stages.flatMap((s) => s.steps).find((s) => s.id === view.stepId);
  if (!def) return '';
  const lines = [
    `<h4>${esc(view.title[locale])}</h4>`,
    `<p><span class="badge ${view.status}">${t.status[view.status]}</span>`,
  ];
  if (view.status === 'OPEN' && view.dueAt) lines.push(` · ${t.due} ${esc(formatDate(view.dueAt, locale))}`);
  if (view.status === 'DONE' && view.submittedAt)
    lines.push(` · ${t.submitted} ${esc(formatDate(view.submittedAt, locale))}`);
  lines.push('</p>');
  if (view.status === 'DONE') lines.push(answers(def.form.fields, view.data, locale));
  if (view.status === 'OPEN' && dto.status === 'ACTIVE') {
    if (view.actor === 'citizen') {
      const state = input.failed?.stepId === view.stepId ? input.failed : { values: {}, errors: {} };
      const action = `${input.basePath}/steps/${encodeURIComponent(view.stepId)}?lang=${locale}`;
      lines.push(`<p>${esc(def.instructions[locale])}</p>`, stepForm(def, action, input.csrf, state, locale));
    } else lines.push(`<p>${t.providerWorking}</p>`);
  }
  return `<div class="step" id="step-${esc(view.stepId)}">${lines.join('')}</div>`;
}

function stageSection(stage: CaseDto['stages'][number], index: number, input: CasePageInput): string {
  const t = TEXT[input.locale];
  const steps = input.dto.steps.filter((s) => s.stage === stage.stageId);
  const lane = (actor: 'citizen' | 'provider', title: string) =>
    `<div class="lane"><h3>${title}</h3>${steps
      .filter((s) => s.actor === actor)
      .map((s) => stepCard(s, input))
      .join('')}</div>`;
  const current =
    input.dto.stage === stage.stageId && input.dto.status === 'ACTIVE'
      ? ` <small>(${t.current})</small>`
      : '';
  return `<section aria-labelledby="stage-${esc(stage.stageId)}"><h2 id="stage-${esc(stage.stageId)}">${index + 1}. ${esc(stage.title[input.locale])}${current}</h2><div class="lanes">${lane('citizen', t.you)}${lane('provider', t.provider)}</div></section>`;
}

/** At the top of the page, each error links to its field, so keyboard and screen reader users get there. */
function errorSummary(failed: Failed, input: CasePageInput): string {
  const t = TEXT[input.locale];
  const def = input.service.stages.flatMap((s) => s.steps).find((s) => s.id === failed.stepId);
  const items = Object.entries(failed.errors).map(([id, message]) => {
    const label = def?.form.fields.find((f) => f.id === id)?.label[input.locale] ?? id;
    const text = `${esc(label)}: ${esc(fieldMessage(message, input.locale))}`;
    return def?.form.fields.some((f) => f.id === id)
      ? `<li><a href="#f-${esc(failed.stepId)}-${esc(id)}">${text}</a></li>`
      : `<li>${text}</li>`;
  });
  const list = items.length ? `<ul>${items.join('')}</ul>` : '';
  return `<div class="notice alert" role="alert"><p>${failed.retry ? t.retry : t.fixErrors}</p>${list}</div>`;
}

export function casePage(input: CasePageInput): string {
  const { dto, locale } = input;
  const t = TEXT[locale];
  const other = locale === 'nl' ? 'en' : 'nl';
  const parts = [
    `<p><a href="${esc(input.basePath)}?lang=${other}" lang="${other}">${t.other}</a></p>`,
    `<h1>${esc(dto.service.title[locale])}</h1>`,
    `<p>${esc(dto.service.summary[locale])}</p>`,
    `<p>${t.caseLabel}: <strong>${t.caseStatus[dto.status]}</strong></p>`,
  ];
  const doneStep = input.done && dto.steps.find((s) => s.stepId === input.done);
  if (doneStep)
    parts.push(`<p class="notice" role="status">${t.thanks}: ${esc(doneStep.title[locale])}.</p>`);
  if (input.failed) parts.push(errorSummary(input.failed, input));
  parts.push(...dto.stages.map((stage, i) => stageSection(stage, i, input)));
  return page(locale, dto.service.title[locale], parts.join('\n'));
}
