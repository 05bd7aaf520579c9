import type { Service } from '../../workflows/schema';
import { type CaseDto, shownStepStatus } from '../domain/case-dto';
import { CASE_STATUSES, type CaseStatus, type Locale } from '../domain/model';
import { esc, stepBadge } from '../pages/html';
import { formatDate } from '../pages/i18n';
import { pager, withQuery } from './pager';
import type { CaseProgress } from './progress';
import { REPORT_TITLE } from './report-page';
import { WORDS } from './text';

// The console home (services of the staff's kind) and a service's case list with both sides'
// progress at a glance, filters and cursor pagination.

export function homeBody(services: Service[], base: string, locale: Locale): string {
  const t = WORDS[locale];
  if (services.length === 0) return `<h1>${t.services}</h1><p>${t.noServices}</p>`;
  const items = services.map((s) => {
    const path = `${base}/services/${encodeURIComponent(s.id)}`;
    return `<li><h2>${esc(s.title[locale])}</h2><p>${esc(s.summary[locale])}</p>
<nav aria-label="${esc(s.title[locale])}"><ul class="cp-nav"><li><a href="${esc(path)}">${t.cases}</a></li><li><a href="${esc(path)}/new">${t.newCase}</a></li><li><a href="${esc(path)}/chart">${t.chart}</a></li><li><a href="${esc(path)}/report">${REPORT_TITLE[locale]}</a></li><li><a href="${esc(path)}/rounds">${t.rounds}</a></li></ul></nav></li>`;
  });
  return `<h1>${t.services}</h1><ul class="plain">${items.join('')}</ul>`;
}

export interface ListInput {
  service: Service;
  locale: Locale;
  base: string;
  /** `label`: the case's reference or citizen name, opened (absent: erased, or none given). */
  rows: { dto: CaseDto; label?: string; progress: CaseProgress }[];
  status?: CaseStatus;
  overdue: boolean;
  cursor?: string;
  /** Whether this is not the first page. */
  paged: boolean;
}

function side(dto: CaseDto, actor: 'citizen' | 'provider', p: CaseProgress, locale: Locale): string {
  const t = WORDS[locale];
  const s = p[actor];
  const counts = [
    t.doneOf(s.done, s.total),
    s.open ? t.openN(s.open) : '',
    s.overdue ? t.overdueN(s.overdue) : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const steps = dto.steps
    .filter((v) => v.actor === actor)
    .map((v) => {
      const status = shownStepStatus(v, dto.status);
      return `<li>${stepBadge(status, t.stepStatus[status])} ${esc(v.title[locale])}</li>`;
    })
    .join('');
  return `<p>${esc(counts)}</p><ul class="cp-steps">${steps}</ul>`;
}

export function listBody(input: ListInput): string {
  const { service, locale, base } = input;
  const t = WORDS[locale];
  const path = `${base}/services/${encodeURIComponent(service.id)}`;
  const statuses = CASE_STATUSES.map(
    (s) => `<option value="${s}"${input.status === s ? ' selected' : ''}>${t.caseStatus[s]}</option>`,
  ).join('');
  const filters = `<form method="get" action="${esc(path)}" class="cp-filters">
<div class="field"><label for="status">${t.status}</label><select id="status" name="status"><option value="">${t.all}</option>${statuses}</select></div>
<div class="field"><label class="cp-check"><input type="checkbox" name="overdue" value="1"${input.overdue ? ' checked' : ''}> ${t.overdueOnly}</label></div>
<button type="submit" class="utrecht-button utrecht-button--primary-action">${t.filter}</button></form>`;
  const rows = input.rows.map(({ dto, label: given, progress }) => {
    const label = given ?? dto.caseId.slice(0, 8);
    return `<tr><th scope="row"><a href="${esc(base)}/cases/${esc(dto.caseId)}">${esc(label)}</a></th>
<td>${esc(formatDate(dto.createdAt, locale))}</td><td>${t.caseStatus[dto.status]}</td>
<td>${side(dto, 'citizen', progress, locale)}</td><td>${side(dto, 'provider', progress, locale)}</td>
<td>${t.waiting[progress.waitingOn]}</td></tr>`;
  });
  // The overdue filter sees one page of cases at a time (pages.ts): with more pages, 'none' is this page's.
  const morePages = input.overdue && input.cursor !== undefined;
  const table = rows.length
    ? `<div class="cp-table"><table><caption>${t.cases}: ${esc(service.title[locale])}</caption><thead><tr><th scope="col">${t.case}</th><th scope="col">${t.created}</th><th scope="col">${t.status}</th><th scope="col">${t.citizen}</th><th scope="col">${t.provider}</th><th scope="col">${t.waitingOn}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${morePages ? `<p>${t.overdueHere}</p>` : ''}`
    : `<p>${morePages ? t.noOverdueHere : t.noCases}</p>`;
  const keep = (extra: Record<string, string>) => ({
    ...(input.status && { status: input.status }),
    ...(input.overdue && { overdue: '1' }),
    ...extra,
  });
  const pages = pager(t.next, {
    first: input.paged && { href: withQuery(path, keep({})), text: t.first },
    next: input.cursor !== undefined && {
      href: withQuery(path, keep({ cursor: input.cursor })),
      text: t.next,
    },
  });
  return `<h1>${esc(service.title[locale])}</h1>
<nav aria-label="${esc(service.title[locale])}"><ul class="cp-nav"><li><a href="${esc(path)}/new">${t.newCase}</a></li><li><a href="${esc(path)}/chart">${t.chart}</a></li><li><a href="${esc(path)}/report">${REPORT_TITLE[locale]}</a></li><li><a href="${esc(path)}/rounds">${t.rounds}</a></li></ul></nav>
<h2>${t.cases}</h2>${filters}${table}${pages}`;
}
