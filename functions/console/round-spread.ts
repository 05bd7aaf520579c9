import type { Service } from '../../workflows/schema';
import type { CaseStatus, Locale } from '../domain/model';
import { esc } from '../pages/html';
import type { RoundSpread } from '../rounds/model';
import { num, ROUND_WORDS } from './round-text';
import { WORDS } from './text';

// Where a round's cases are: the active ones per stage in the service's order, then the failed ones
// (waiting for a redrive) and the closed ones per outcome. Horizontal bars in plain HTML/CSS (they wrap on a phone, unlike SVG text), hidden
// from assistive technology because the table right after them holds the same figures.

export interface SpreadRow {
  key: string;
  label: string;
  count: number;
  kind: 'stage' | CaseStatus;
}

const NOT_RUNNING = ['FAILED', 'COMPLETED', 'EXPIRED', 'CANCELLED'] as const;

export function spreadRows(service: Service, spread: RoundSpread, locale: Locale): SpreadRow[] {
  const known = new Set(service.stages.map((s) => s.id));
  const stages: SpreadRow[] = service.stages.map((s) => ({
    key: s.id,
    label: s.title[locale],
    count: spread.stages[s.id] ?? 0,
    kind: 'stage',
  }));
  // Active cases not (yet) in one of the service's stages, e.g. started but not entered stage one.
  const other = Object.entries(spread.stages)
    .filter(([id]) => !known.has(id))
    .reduce((sum, [, n]) => sum + n, 0);
  if (other > 0)
    stages.unshift({ key: '-', label: ROUND_WORDS[locale].noStage, count: other, kind: 'stage' });
  const closed: SpreadRow[] = NOT_RUNNING.map((status) => ({
    key: status,
    label: WORDS[locale].caseStatus[status],
    count: spread.statuses[status] ?? 0,
    kind: status,
  }));
  return [...stages, ...closed];
}

export function spreadSection(service: Service, spread: RoundSpread, locale: Locale): string {
  const r = ROUND_WORDS[locale];
  const rows = spreadRows(service, spread, locale);
  const max = Math.max(1, ...rows.map((row) => row.count));
  const bars = rows
    .map((row) => {
      const pct = ((row.count / max) * 100).toFixed(1);
      return `<div class="cp-hbar"><span class="cp-hbar-label">${esc(row.label)}</span><span class="cp-hbar-line"><span class="cp-hbar-track"><span class="cp-hbar-fill cp-hbar-${row.kind.toLowerCase()}" style="width:${pct}%"></span></span><span class="cp-hbar-num">${num(row.count, locale)}</span></span></div>`;
    })
    .join('');
  const table = rows
    .map(
      (row) =>
        `<tr><th scope="row">${esc(row.label)}</th><td class="cp-num">${num(row.count, locale)}</td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="spread"><h2 id="spread">${r.spread}</h2><p>${r.spreadNote(spread.counted, locale)}</p>
<div class="cp-hbars" aria-hidden="true">${bars}</div>
<div class="cp-table"><table class="cp-spread"><thead><tr><th scope="col">${r.stage}</th><th scope="col">${r.count}</th></tr></thead><tbody>${table}</tbody></table></div></section>`;
}
