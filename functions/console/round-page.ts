import type { Service } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { formatDate } from '../pages/i18n';
import type { RoundRecord, RoundSpread, RoundView } from '../rounds/model';
import { RUNNING, roundDto } from '../rounds/rounds';
import { howToStart, roundBadge } from './round-list-page';
import { spreadSection } from './round-spread';
import { num, ROUND_WORDS } from './round-text';

// One round for staff: its state, a progress bar while it validates or starts cases, the counters,
// the first bad rows and failures, why it was rejected or failed and what to do, and once the cases
// run, where they are. Automatic updating is the user's choice (a link), see roundAutoRefresh.

export interface RoundPageInput {
  view: RoundView;
  service: Service;
  locale: Locale;
  base: string;
  /** The user asked for automatic updates (?auto=1). */
  auto: boolean;
  spread?: RoundSpread;
}

/** Before validation ends every counter is 0 (a new attempt resets them): nothing to show yet. */
const COUNTED = new Set(['REJECTED', 'STARTING', 'STARTED', 'FAILED']);
export const isRunning = (round: RoundRecord) => RUNNING.includes(round.status);

/** While the round runs and the user asked for it, the page reloads itself; no JavaScript. */
export const roundAutoRefresh = (input: Pick<RoundPageInput, 'view' | 'auto'>) =>
  input.auto && isRunning(input.view.round);

function progress(input: RoundPageInput, self: string): string {
  const { round } = input.view;
  const { locale } = input;
  const r = ROUND_WORDS[locale];
  if (!isRunning(round)) return '';
  const checked = round.validated + round.invalid;
  const bar =
    round.status === 'VALIDATING'
      ? `<label for="round-progress">${r.checking}</label><progress id="round-progress" aria-describedby="round-progress-text"></progress><p id="round-progress-text">${checked > 0 ? r.checked(checked, locale) : r.statuses.VALIDATING}</p>`
      : `<label for="round-progress">${r.statuses.STARTING}</label><progress id="round-progress" max="${Math.max(1, round.validated)}" value="${Math.min(round.started, round.validated)}" aria-describedby="round-progress-text"></progress><p id="round-progress-text">${r.startedOf(round.started, round.validated, locale)}</p>`;
  const links = input.auto
    ? `<p>${r.autoNote}</p><ul class="cp-nav"><li><a href="${esc(self)}">${r.autoOff}</a></li></ul>`
    : `<ul class="cp-nav"><li><a href="${esc(self)}">${r.refreshNow}</a></li><li><a href="${esc(self)}?auto=1">${r.autoOn}</a></li></ul>`;
  return `<section aria-labelledby="progress-title" class="cp-progress"><h2 id="progress-title">${r.progressTitle}</h2>${bar}${links}</section>`;
}

function advice(input: RoundPageInput): string {
  const { round } = input.view;
  const r = ROUND_WORDS[input.locale];
  if (round.status === 'AWAITING_UPLOAD')
    return `<div class="notice"><p>${r.awaiting}</p>${howToStart(round.serviceId, input.locale, round)}</div>`;
  if (round.status !== 'REJECTED' && round.status !== 'FAILED') return '';
  const why = round.status === 'REJECTED' ? r.rejectedWhy : r.failedWhy;
  const error = round.error ? `<p lang="en">${esc(round.error)}</p>` : '';
  return `<div class="notice alert"><p><strong>${why}</strong></p>${error}<p>${round.status === 'REJECTED' ? r.whatToDo : r.whatToDoFailed}</p>${howToStart(round.serviceId, input.locale, round)}</div>`;
}

function counters(view: RoundView, locale: Locale): string {
  const r = ROUND_WORDS[locale];
  // The API's figures, `active` included (computed once, in the domain).
  const values = roundDto(view);
  const keys = [
    'total',
    'validated',
    'invalid',
    'started',
    'failed',
    'completed',
    'expired',
    'cancelled',
    'active',
  ] as const;
  const rows = keys
    .map(
      (k) => `<tr><th scope="row">${r.counter[k]}</th><td class="cp-num">${num(values[k], locale)}</td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="counters"><h2 id="counters">${r.counters}</h2><div class="cp-table"><table class="cp-counters"><tbody>${rows}</tbody></table></div></section>`;
}

function rowTable(id: string, title: string, heads: string[], rows: string[][], note: string): string {
  if (rows.length === 0) return '';
  const head = heads.map((h) => `<th scope="col">${h}</th>`).join('');
  const body = rows
    .map(
      ([line, ...rest]) =>
        `<tr><td class="cp-num">${line}</td>${rest.map((c) => `<td>${c}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${note ? `<p>${note}</p>` : ''}<div class="cp-table"><table class="cp-rows"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

export function roundBody(input: RoundPageInput, self: string): string {
  const { view, service, locale, base } = input;
  const { round } = view;
  const r = ROUND_WORDS[locale];
  const en = (text: string) => `<span lang="en">${esc(text)}</span>`;
  const errorLines = new Set(view.errors.map((e) => e.line)).size;
  const errors = rowTable(
    'row-errors',
    r.rowErrors,
    [r.line, r.column, r.reason],
    view.errors.map((e) => [num(e.line, locale), esc(e.column), en(e.reason)]),
    // A line can have several errors: rows shown against rows invalid, not entries against rows.
    round.invalid > errorLines ? r.firstOf(errorLines, round.invalid, locale) : '',
  );
  const failures = rowTable(
    'row-failures',
    r.rowFailures,
    [r.line, r.reference, r.reason],
    view.failures.map((f) => [num(f.line, locale), esc(f.reference), en(f.reason)]),
    round.failed > view.failures.length ? r.firstOf(view.failures.length, round.failed, locale) : '',
  );
  const rounds = `${base}/services/${encodeURIComponent(service.id)}/rounds`;
  return `<p><a href="${esc(rounds)}">${r.back}</a></p>
<h1>${r.round}: ${esc(round.name)}</h1>
<dl class="cp-facts"><dt>${r.status}</dt><dd>${roundBadge(round.status, locale)}</dd><dt>${r.service}</dt><dd>${esc(service.title[locale])}</dd>
<dt>${r.onInvalidLabel}</dt><dd>${r.onInvalid[round.onInvalid]}</dd>${round.attempt > 0 ? `<dt>${r.attempt}</dt><dd>${num(round.attempt, locale)}</dd>` : ''}
<dt>${r.created}</dt><dd>${esc(formatDate(round.createdAt, locale))}</dd><dt>${r.updated}</dt><dd>${esc(formatDate(round.updatedAt, locale))}</dd></dl>
${progress(input, self)}${advice(input)}${input.spread ? spreadSection(service, input.spread, locale) : ''}${COUNTED.has(round.status) ? counters(view, locale) : ''}${errors}${failures}`;
}
