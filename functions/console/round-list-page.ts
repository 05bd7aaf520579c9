import type { Service } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import { esc, statusBadge } from '../pages/html';
import { formatDate } from '../pages/i18n';
import type { RoundRecord, RoundStatus } from '../rounds/model';
import { pager, withQuery } from './pager';
import { cliStart, num, ROUND_WORDS } from './round-text';
import { WORDS } from './text';

// A service's rounds, newest first with cursor pagination, and how to start one: the file goes
// through the CLI or the API, never through this console (no upload form without JavaScript).

export const ROUND_BADGE: Record<RoundStatus, string> = {
  AWAITING_UPLOAD: 'neutral',
  VALIDATING: 'warning',
  STARTING: 'warning',
  STARTED: 'success',
  REJECTED: 'danger',
  FAILED: 'danger',
};

export const roundBadge = (status: RoundStatus, locale: Locale) =>
  statusBadge(ROUND_BADGE[status], ROUND_WORDS[locale].statuses[status]);

/** The CLI command and the API calls; for a round, the command that restarts that very round. */
export function howToStart(serviceId: string, locale: Locale, round?: RoundRecord): string {
  const r = ROUND_WORDS[locale];
  const options = round ? '' : `<p>${esc(r.cliOptions)}</p>`;
  return `<p>${r.cliLabel}</p><pre class="cp-code"><code>${esc(cliStart(serviceId, round))}</code></pre>${options}<p>${esc(r.apiLabel)}</p>`;
}

export interface RoundListInput {
  service: Service;
  locale: Locale;
  base: string;
  rounds: RoundRecord[];
  cursor?: string;
  /** Whether this is not the first page. */
  paged: boolean;
}

export function roundsBody(input: RoundListInput): string {
  const { service, locale, base } = input;
  const t = WORDS[locale];
  const r = ROUND_WORDS[locale];
  const path = `${base}/services/${encodeURIComponent(service.id)}`;
  const rows = input.rounds.map((round) => {
    const done = `${num(round.started, locale)} / ${num(round.validated, locale)}`;
    return `<tr><th scope="row"><a href="${esc(base)}/rounds/${esc(round.roundId)}">${esc(round.name)}</a></th><td>${esc(formatDate(round.createdAt, locale))}</td><td>${roundBadge(round.status, locale)}</td><td>${done}</td><td>${num(round.failed, locale)}</td></tr>`;
  });
  const table = rows.length
    ? `<div class="cp-table"><table><caption>${r.rounds}: ${esc(service.title[locale])}</caption><thead><tr><th scope="col">${r.name}</th><th scope="col">${r.created}</th><th scope="col">${r.status}</th><th scope="col">${r.progress}</th><th scope="col">${r.failedCol}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
    : `<p>${r.noRounds}</p>`;
  const pages = pager(t.next, {
    first: input.paged && { href: `${path}/rounds`, text: t.first },
    next: input.cursor !== undefined && {
      href: withQuery(`${path}/rounds`, { cursor: input.cursor }),
      text: t.next,
    },
  });
  return `<p><a href="${esc(path)}">${r.backService}</a></p>
<h1>${r.rounds}: ${esc(service.title[locale])}</h1>${table}${pages}
<section aria-labelledby="how"><h2 id="how">${r.howToTitle}</h2><p>${r.howTo}</p>${howToStart(service.id, locale)}</section>`;
}
