import type { Field, Service } from '../../workflows/schema';
import type { Created, DelegateContext, DelegateFormState } from '../delegation/page-input';
import { type CaseDto, type StepView, shownStepStatus } from '../domain/case-dto';
import { findStep } from '../domain/definitions';
import type { FieldValue, Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import { answeredByLine, delegateBanner, delegatesSection, notYoursLine } from './delegates';
import { type FormState, fieldTarget, stepForm } from './form';
import { esc, page, stepBadge } from './html';
import { errorLine, formatDate, formatNumber, TEXT } from './i18n';
import { dayOf, processingSection } from './processing';
import { proposalsSection } from './proposals';
import { reopenSection } from './reopen';
import { waitingSection } from './waiting';

// The citizen's page: per stage two lanes (you / the provider), each step with its status, due date
// and what was submitted, and a form for every open citizen step while the case runs.

export interface CasePageInput {
  dto: CaseDto;
  service: Service;
  locale: Locale;
  /** Root-relative path of this page, e.g. /c/<token>. */
  basePath: string;
  /** Path prefix of the app, for assets. */
  root: string;
  csrf: string;
  done?: string;
  failed?: Failed;
  /** The server's time: whether a completed case may still be reopened. */
  now?: Date;
  /** The page is a helper's (delegation/): only their steps have forms, nothing of the citizen's own. */
  delegate?: DelegateContext;
  /** A helper the citizen just added: their link, shown once. */
  created?: Created;
  /** The helper form that failed: what was typed and what to fix. */
  delegateForm?: DelegateFormState;
}

/**
 * The step whose posted form failed: invalid fields; or, to send again, the engine stopped waiting just
 * then ('retry'), or the step opened again since the page was served ('reopened').
 */
export type Failed = { stepId: string; retry?: 'retry' | 'reopened' } & FormState;

function shown(field: Field | undefined, value: FieldValue, locale: Locale): string {
  const t = TEXT[locale];
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (field?.type === 'choice')
    return field.options.find((o) => o.value === value)?.label[locale] ?? String(value);
  if (field?.type === 'date' && typeof value === 'string') return formatDate(value, locale);
  if (typeof value === 'number') return formatNumber(value, locale);
  return String(value);
}

function answers(fields: Field[], data: StepView['data'], locale: Locale): string {
  if (!data) return '';
  const rows = Object.entries(data).map(([key, value]) => {
    const field = fields.find((f) => f.id === key);
    return `<div class="utrecht-data-list__item"><dt class="utrecht-data-list__item-key">${esc(field?.label[locale] ?? key)}</dt><dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">${esc(shown(field, value, locale))}</dd></div>`;
  });
  return rows.length ? `<dl class="utrecht-data-list utrecht-data-list--rows">${rows.join('')}</dl>` : '';
}

const alert = (type: 'ok' | 'error', attrs: string, body: string) =>
  `<div class="utrecht-alert utrecht-alert--${type}" ${attrs}><div class="utrecht-alert__content"><div class="utrecht-alert__message">${body}</div></div></div>`;

const p = (text: string) => `<p class="utrecht-paragraph">${text}</p>`;

function stepCard(view: StepView, input: CasePageInput, org: string): string {
  const { locale, service, dto } = input;
  const t = TEXT[locale];
  const def = findStep(service, view.stepId)?.step;
  if (!def) return '';
  const status = shownStepStatus(view, dto.status);
  const meta = [stepBadge(status, t.status[status])];
  if (status === 'OPEN' && view.dueAt)
    meta.push(`<span>${t.due} ${esc(formatDate(view.dueAt, locale))}</span>`);
  // Past its due date and still waiting (escalated): said in words, not only by a date in the past.
  if (status === 'OPEN' && view.escalated) meta.push(`<strong>${t.overdue}</strong>`);
  if (view.status === 'DONE' && view.submittedAt)
    meta.push(`<span>${t.submitted} ${esc(formatDate(view.submittedAt, locale))}</span>`);
  const lines = [
    `<h4 class="utrecht-heading-4">${esc(view.title[locale])}</h4>`,
    `<div class="cp-meta">${meta.join('')}</div>`,
  ];
  if (view.status === 'DONE') lines.push(answers(def.form.fields, view.data, locale));
  // Not answered in this visit of its stage yet: what was answered the last time (views.ts).
  if (view.status !== 'DONE' && view.earlierData)
    lines.push(p(t.earlierAnswer), answers(def.form.fields, view.earlierData, locale));
  if (view.status === 'DONE' && view.answeredBy)
    lines.push(answeredByLine(view.answeredBy, locale, input.delegate === undefined));
  // A step that opens after another of the stage (workflows/stage-order.ts) says which, while it waits.
  const before = def.after && findStep(service, def.after)?.step;
  if (status === 'PENDING' && before && dto.stage === view.stage && dto.status === 'ACTIVE')
    lines.push(p(esc(t.opensAfter.replace('{step}', before.title[locale]))));
  const delegate = input.delegate;
  const handedOver = !delegate || delegate.steps === 'all' || delegate.steps.includes(view.stepId);
  if (view.status === 'OPEN' && dto.status === 'ACTIVE') {
    if (view.actor === 'citizen' && !handedOver) lines.push(notYoursLine(locale));
    else if (view.actor === 'citizen') {
      const state = input.failed?.stepId === view.stepId ? input.failed : { values: {}, errors: {} };
      const action = `${input.basePath}/steps/${encodeURIComponent(view.stepId)}?lang=${locale}`;
      lines.push(
        p(esc(def.instructions[locale])),
        stepForm(def, action, input.csrf, state, locale, view.openedAt),
      );
    } else lines.push(p(esc(t.providerWorking.replace('{org}', org))));
  }
  if (view.status === 'OPEN' && dto.status === 'FAILED' && view.actor === 'citizen')
    lines.push(p(esc(t.failedStep.replace('{org}', org))));
  return `<div class="cp-step" id="step-${esc(view.stepId)}">${lines.join('')}</div>`;
}

function stageSection(stage: CaseDto['stages'][number], index: number, input: CasePageInput): string {
  const t = TEXT[input.locale];
  const org = orgDisplayName(input.dto.org);
  const steps = input.dto.steps.filter((s) => s.stage === stage.stageId);
  const id = `stage-${esc(stage.stageId)}`;
  const lane = (actor: 'citizen' | 'provider', title: string) => {
    const cards = steps.filter((s) => s.actor === actor).map((s) => stepCard(s, input, org));
    return `<div class="cp-lane"><h3 class="utrecht-heading-3">${esc(title)}</h3>${cards.join('') || p(t.nothingYet)}</div>`;
  };
  const current = input.dto.stage === stage.stageId && input.dto.status === 'ACTIVE' ? ` (${t.current})` : '';
  return `<section aria-labelledby="${id}"><h2 class="utrecht-heading-2" id="${id}">${t.stage} ${index + 1}: ${esc(stage.title[input.locale])}${current}</h2><div class="cp-lanes">${lane('citizen', t.you)}${lane('provider', t.provider.replace('{org}', org))}</div></section>`;
}

/** At the top of the page, each error links to its field, so keyboard and screen reader users get there. */
function errorSummary(failed: Failed, input: CasePageInput): string {
  const t = TEXT[input.locale];
  const def = findStep(input.service, failed.stepId)?.step;
  const items = Object.entries(failed.errors).map(([id, message]) => {
    const field = def?.form.fields.find((f) => f.id === id);
    const text = esc(errorLine(field?.label[input.locale] ?? id, message, input.locale));
    return field
      ? `<li><a class="utrecht-link utrecht-link--html-a" href="#${esc(fieldTarget(failed.stepId, field))}">${text}</a></li>`
      : `<li>${text}</li>`;
  });
  const list = items.length ? `<ul class="utrecht-unordered-list">${items.join('')}</ul>` : '';
  return alert(
    'error',
    // Focus lands on the summary (WCAG 3.3.1): the next Tab is its first link, not the top of the page.
    'role="alert" id="errors" tabindex="-1" autofocus',
    `<h2 class="utrecht-heading-2">${t.errorTitle}</h2>${p(failed.retry ? t[failed.retry] : t.fixErrors)}${list}`,
  );
}

/** A FAILED case: plainly, that the fault is on the organisation's side and that it knows. */
function failedNotice(input: CasePageInput): string {
  const t = TEXT[input.locale];
  const org = orgDisplayName(input.dto.org);
  const fill = (text: string) => esc(text.replaceAll('{org}', org));
  return alert(
    'error',
    'id="case-failed"',
    `<h2 class="utrecht-heading-2">${fill(t.failedTitle)}</h2>${p(fill(t.failedBody))}`,
  );
}

/** An erased case: what happened, and that nothing about the citizen is left. */
function erasedNotice(input: CasePageInput, at: string): string {
  const t = TEXT[input.locale];
  const body = t.erasedBody
    .replace('{date}', dayOf(at, input.locale))
    .replace('{org}', orgDisplayName(input.dto.org));
  return alert(
    'ok',
    'id="case-erased" role="status"',
    `<h2 class="utrecht-heading-2">${t.erasedTitle}</h2>${p(esc(body))}`,
  );
}

export function casePage(input: CasePageInput): string {
  const { dto, locale } = input;
  const t = TEXT[locale];
  const other = locale === 'nl' ? 'en' : 'nl';
  const parts = [
    `<h1 class="utrecht-heading-1">${esc(dto.service.title[locale])}</h1>`,
    `<p class="utrecht-paragraph utrecht-paragraph--lead">${esc(dto.service.summary[locale])}</p>`,
    p(`${t.caseLabel}: <strong>${t.caseStatus[dto.status]}</strong>`),
  ];
  if (input.delegate) parts.push(delegateBanner(input.delegate, input.service, locale));
  if (dto.erased) parts.push(erasedNotice(input, dto.erased.at));
  if (dto.status === 'FAILED') parts.push(failedNotice(input));
  const reopen = reopenSection({ ...input, now: input.now ?? new Date() });
  const doneStep = input.done && dto.steps.find((s) => s.stepId === input.done);
  if (doneStep) parts.push(alert('ok', 'role="status"', p(`${t.thanks}: ‘${esc(doneStep.title[locale])}’`)));
  if (input.failed) parts.push(errorSummary(input.failed, input));
  // A helper answers their steps only: no reopening, no helpers, no processing log, no export.
  const own = !input.delegate;
  if (dto.status === 'ACTIVE' && own) parts.push(reopen);
  parts.push(...dto.stages.map((stage, i) => stageSection(stage, i, input)));
  // Negotiating a due date is the citizen's own: a helper's link answers steps only.
  if (own) parts.push(proposalsSection(input));
  if (dto.status !== 'ACTIVE' && own) parts.push(reopen);
  parts.push(waitingSection(dto, locale));
  if (own) {
    parts.push(delegatesSection(input));
    parts.push(processingSection(dto.processingLog, locale, dto.processingLogOlder));
    parts.push(
      p(
        `<a class="utrecht-link utrecht-link--html-a" href="${esc(input.basePath)}/export" download>${esc(t.exportLink)}</a>`,
      ),
    );
  }
  return page(locale, dto.service.title[locale], parts.join('\n'), {
    root: input.root,
    brand: orgDisplayName(dto.org),
    switchTo: { href: `${input.basePath}?lang=${other}`, locale: other, label: t.other },
  });
}
