import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { formatDate } from '../pages/i18n';
import { alertBox } from './layout';
import { WORDS } from './text';

// A FAILED case on the staff's case page: what went wrong and when, the technical details folded
// away, and "Try again" (a POST with the session's CSRF value; the same domain call as the API).

/** Why a redrive was refused, as the domain's ConflictError says it (code and, for NOT_REDRIVABLE, reason). */
export interface RedriveRefusal {
  code: string;
  reason?: string;
}

export function failureSection(
  dto: CaseDto,
  locale: Locale,
  base: string,
  csrf: string,
  refusal?: RedriveRefusal,
) {
  const { failure } = dto;
  const refused = refusal ? alertBox(`<p>${esc(refusalText(refusal, locale))}</p>`, true) : '';
  // Resumed meanwhile (a second press, a stale tab): only the words why this press changed nothing.
  if (dto.status !== 'FAILED' || !failure) return refused;
  const t = WORDS[locale];
  const action = `${base}/cases/${encodeURIComponent(dto.caseId)}/redrive`;
  return `<section aria-labelledby="failure" class="cp-failure"><h2 id="failure">${t.failureTitle}</h2>${refused}
<p>${esc(t.failureSince(formatDate(failure.at, locale)))} <strong>${esc(failure.error)}</strong></p>
<details><summary>${t.failureDetails}</summary><p class="cp-code">${esc(failure.cause || '—')}</p><p>${t.execution}: ${esc(failure.execution)}</p></details>
<p>${t.redriveHelp}</p><form method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(csrf)}"><button type="submit" class="utrecht-button utrecht-button--primary-action">${t.redrive}</button></form></section>`;
}

function refusalText(refusal: RedriveRefusal, locale: Locale): string {
  const t = WORDS[locale];
  if (refusal.code === 'NOT_REDRIVABLE')
    return refusal.reason === 'ExecutionLimitExceeded' ? t.redriveBusy : t.redriveImpossible;
  return t.redriveNotFailed;
}
