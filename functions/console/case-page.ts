import type { Field, Service } from '../../workflows/schema';
import { type CaseDto, type StepView, shownStepStatus } from '../domain/case-dto';
import { findStep } from '../domain/definitions';
import type { FieldValue, Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import { reopenableUntil } from '../domain/reopen-window';
import { type FormState, fieldTarget, stepForm } from '../pages/form';
import { esc, stepBadge } from '../pages/html';
import { errorLine, formatDate, formatNumber, TEXT } from '../pages/i18n';
import { answeredByText } from './case-delegates';
import { failureSection, type RedriveRefusal } from './case-failure';
import { erasedNotice, privacySection } from './case-privacy';
import { proposalsPart } from './case-proposals';
import { refusalSection, type StepRefusal } from './case-refusal';
import { REOPEN_WORDS, reopenForm } from './case-reopen';
import { waitingSection } from './case-waiting';
import { historyLine, historyNames } from './history-text';
import { HISTORY_WORDS } from './history-words';
import { alertBox } from './layout';
import { type ReasonRefusal, reasonFor, reasonRefusalSection } from './reason-refusal';
import { WORDS } from './text';

// One case for staff: what went wrong if it FAILED, per stage the two lanes, the provider's open steps
// as forms, the citizen link, the event history and the cancel form.

/** What the case page can say at its top (?notice=), after a form or a sign-in (return-path.ts). */
export const CASE_NOTICES = [
  'created',
  'saved',
  'cancelled',
  'redriven',
  'erased',
  'reopened',
  'expired',
] as const;
export type CaseNotice = (typeof CASE_NOTICES)[number];

export interface CasePageInput {
  dto: CaseDto;
  service: Service;
  locale: Locale;
  base: string;
  csrf: string;
  citizenLink: string;
  notice?: CaseNotice;
  failed?: { stepId: string } & FormState;
  redriveRefused?: RedriveRefusal;
  /** An answer to a step that the case refused (409): said at the top, and what was typed is kept. */
  refused?: StepRefusal;
  /** A reason form (stop, erase, reopen) refused: said at the top, the reason back in its form. */
  reasonRefused?: ReasonRefusal;
  /** The server's time: whether a completed case may still be reopened. */
  now?: Date;
}

function shown(field: Field | undefined, value: FieldValue, locale: Locale): string {
  if (typeof value === 'boolean') return value ? TEXT[locale].yes : TEXT[locale].no;
  if (field?.type === 'choice')
    return field.options.find((o) => o.value === value)?.label[locale] ?? String(value);
  if (typeof value === 'number') return formatNumber(value, locale);
  return String(value);
}

function stepCard(view: StepView, input: CasePageInput): string {
  const { locale, service, dto } = input;
  const t = WORDS[locale];
  const def = findStep(service, view.stepId)?.step;
  if (!def) return '';
  const status = shownStepStatus(view, dto.status);
  const parts = [`<h4>${esc(view.title[locale])}</h4><p>${stepBadge(status, t.stepStatus[status])}`];
  if (status === 'OPEN' && view.dueAt) parts.push(` · ${t.due} ${esc(formatDate(view.dueAt, locale))}`);
  if (view.status === 'DONE' && view.submittedAt)
    parts.push(
      ` · ${t.submitted} ${esc(formatDate(view.submittedAt, locale))}${view.channel ? ` (${HISTORY_WORDS[locale].channel[view.actor][view.channel]})` : ''}${answeredByText(view.answeredBy, locale)}`,
    );
  parts.push('</p>');
  // A step not answered in this visit of its stage yet still shows what was answered the last time
  // (views.ts): the provider writing a new plan reads the old one and why it was turned down.
  const shownData = view.status === 'DONE' ? view.data : view.earlierData;
  if (view.status !== 'DONE' && shownData) parts.push(`<p><em>${t.earlierAnswer}</em></p>`);
  if (shownData) {
    const rows = Object.entries(shownData).map(([k, v]) => {
      const field = def.form.fields.find((f) => f.id === k);
      return `<dt>${esc(field?.label[locale] ?? k)}</dt><dd>${esc(shown(field, v, locale))}</dd>`;
    });
    parts.push(`<dl>${rows.join('')}</dl>`);
  }
  if (view.status === 'OPEN' && dto.status === 'ACTIVE') {
    if (view.actor === 'provider') {
      const state = formState(view.stepId, input);
      const action = `${input.base}/cases/${encodeURIComponent(dto.caseId)}/steps/${encodeURIComponent(view.stepId)}`;
      parts.push(
        `<p>${esc(def.instructions[locale])}</p>`,
        stepForm(def, action, input.csrf, state, locale, view.openedAt),
      );
    } else parts.push(`<p>${t.citizenWorking}</p>`);
  }
  return `<div class="cp-step" id="step-${esc(view.stepId)}">${parts.join('')}</div>`;
}

/** The step's form as sent when it was refused (its errors, or a conflict's answer to send again), else empty. */
function formState(stepId: string, input: CasePageInput): FormState {
  if (input.failed?.stepId === stepId) return input.failed;
  if (input.refused?.stepId === stepId) return { values: input.refused.values, errors: {} };
  return { values: {}, errors: {} };
}

/** Whether the page shows `stepId`'s form: an open provider step of an active case (stepCard). */
const formShown = (dto: CaseDto, stepId: string) =>
  dto.status === 'ACTIVE' &&
  dto.steps.some((s) => s.stepId === stepId && s.status === 'OPEN' && s.actor === 'provider');

function stages(input: CasePageInput): string {
  const t = WORDS[input.locale];
  return input.dto.stages
    .map((stage, i) => {
      const steps = input.dto.steps.filter((s) => s.stage === stage.stageId);
      // The provider's lane carries the organisation's name, as the citizen's page does.
      const heading = { citizen: t.citizen, provider: esc(orgDisplayName(input.dto.org)) };
      const lane = (actor: 'citizen' | 'provider') =>
        `<div class="cp-lane"><h3>${heading[actor]}</h3>${steps
          .filter((s) => s.actor === actor)
          .map((s) => stepCard(s, input))
          .join('')}</div>`;
      const id = `stage-${esc(stage.stageId)}`;
      return `<section aria-labelledby="${id}"><h2 id="${id}">${i + 1}. ${esc(stage.title[input.locale])}</h2><div class="cp-lanes">${lane('citizen')}${lane('provider')}</div></section>`;
    })
    .join('');
}

function history(input: CasePageInput): string {
  const t = WORDS[input.locale];
  const names = historyNames(input.service, input.dto.org, input.locale, input.dto.events);
  const rows = input.dto.events.map(
    (e) => `<tr><td>${esc(formatDate(e.at, input.locale))}</td><td>${esc(historyLine(e, names))}</td></tr>`,
  );
  return `<section aria-labelledby="history"><h2 id="history">${t.history}</h2><div class="cp-table"><table><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.what}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

/** Each error links to its field by the field's label, as the citizen's page does (WCAG 3.3.1). */
function errorSummary(input: CasePageInput): string {
  const failed = input.failed;
  if (!failed) return '';
  const def = findStep(input.service, failed.stepId)?.step;
  const items = Object.entries(failed.errors).map(([id, message]) => {
    const field = def?.form.fields.find((f) => f.id === id);
    const target = field ? fieldTarget(failed.stepId, field) : `f-${failed.stepId}-${id}`;
    const label = field?.label[input.locale] ?? id;
    return `<li><a href="#${esc(target)}">${esc(errorLine(label, message, input.locale))}</a></li>`;
  });
  return alertBox(`<p>${WORDS[input.locale].fixErrors}</p><ul>${items.join('')}</ul>`, true);
}

const isStoppable = (dto: CaseDto) => dto.status === 'ACTIVE' || dto.status === 'FAILED';

/** What a refused form says at the top: a step's answer (case-refusal.ts) or a reason form's (reason-refusal.ts). */
function refusals(input: CasePageInput, now: Date): string {
  const { dto, locale, refused, reasonRefused } = input;
  if (refused) return refusalSection(refused, input.service, locale, formShown(dto, refused.stepId));
  if (!reasonRefused) return '';
  // Whether the refused form is on the page again, holding the reason (as caseBody draws them).
  const shown = {
    cancel: isStoppable(dto),
    erase: !dto.erased,
    reopen: reopenableUntil(dto, input.service, now) !== undefined,
  };
  return reasonRefusalSection(reasonRefused, locale, shown[reasonRefused.form]);
}

export function caseBody(input: CasePageInput): string {
  const { dto, locale } = input;
  const t = WORDS[locale];
  const c = dto.citizen;
  const who = [c?.name, c?.phone, c?.email]
    .filter(Boolean)
    .map((v) => esc(v))
    .join(' · ');
  const notices = {
    saved: t.savedNotice,
    cancelled: t.cancelledNotice,
    redriven: t.redrivenNotice,
    erased: t.erasedNotice,
    reopened: REOPEN_WORDS[locale].notice,
    expired: t.expiredNotice,
  };
  const notice =
    input.notice === 'created'
      ? `<div class="notice" role="status"><p>${t.createdNotice}</p></div>`
      : input.notice
        ? `<p class="notice" role="status">${notices[input.notice]}</p>`
        : '';
  const { reasonRefused } = input;
  const now = input.now ?? new Date();
  const stoppable = isStoppable(dto);
  const failure =
    failureSection(dto, locale, input.base, input.csrf, input.redriveRefused) + erasedNotice(dto, locale);
  const cancel = stoppable
    ? `<section aria-labelledby="cancel"><h2 id="cancel">${t.cancel}</h2><form method="post" action="${esc(input.base)}/cases/${esc(dto.caseId)}/cancel"><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><div class="field"><label for="reason">${t.reason}</label><input type="text" id="reason" name="reason" required maxlength="500" value="${esc(reasonFor(reasonRefused, 'cancel'))}"></div><button type="submit" class="utrecht-button utrecht-button--primary-action cp-danger">${t.cancel}</button></form></section>`
    : '';
  return `<p><a href="${esc(input.base)}/services/${esc(dto.serviceId)}">${t.back}</a></p>
<h1>${esc(dto.service.title[locale])}: ${esc(dto.reference ?? c?.name ?? dto.caseId.slice(0, 8))}</h1>${notice}${errorSummary(input)}${refusals(input, now)}${failure}
<dl><dt>${t.status}</dt><dd>${t.caseStatus[dto.status]}${dto.cancelReason ? ` (${esc(dto.cancelReason)})` : ''}</dd><dt>${t.citizen}</dt><dd>${who || '—'}</dd>
<dt>${t.citizenLink}</dt><dd class="cp-citizen-link"><a href="${esc(input.citizenLink)}">${esc(input.citizenLink)}</a></dd></dl>
${stages(input)}${proposalsPart(dto, input.service, input)}${waitingSection(dto, locale)}${history(input)}${cancel}${reopenForm(dto, input.service, { ...input, now, reason: reasonFor(reasonRefused, 'reopen') })}${privacySection(dto, locale, input.base, input.csrf, reasonFor(reasonRefused, 'erase'))}`;
}
