import type { Service } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { LANGUAGE_TAGS } from '../pages/i18n';
import type { StageTiming, WaitingOn } from './progress';
import { WORDS } from './text';

// Server-rendered SVG: per stage the median hours of the citizen and the provider side by side,
// and the active cases by who they wait on. Each chart has a table with the same figures.

const COLORS = { citizen: '#1d5b8f', provider: '#b35900', both: '#5a5a5a' };
const fmt = (h: number | undefined, locale: Locale) =>
  h === undefined
    ? WORDS[locale].noData
    : `${h.toLocaleString(LANGUAGE_TAGS[locale], { maximumFractionDigits: 1 })} ${WORDS[locale].hours}`;

function timingSvg(timings: StageTiming[], locale: Locale): string {
  const t = WORDS[locale];
  const max = Math.max(1, ...timings.flatMap((s) => [s.citizen ?? 0, s.provider ?? 0]));
  const left = 230;
  const width = 420;
  const rowH = 56;
  const height = 40 + timings.length * rowH;
  const bar = (y: number, value: number | undefined, actor: 'citizen' | 'provider') => {
    const w = value === undefined ? 0 : Math.max(2, (value / max) * width);
    return `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="18" fill="${COLORS[actor]}"></rect><text x="${left + w + 6}" y="${y + 14}" font-size="13">${esc(`${t[actor]}: ${fmt(value, locale)}`)}</text>`;
  };
  const rows = timings
    .map((s, i) => {
      const y = 30 + i * rowH;
      return `<text x="0" y="${y + 22}" font-size="13">${esc(s.title[locale].length > 30 ? `${s.title[locale].slice(0, 29)}…` : s.title[locale])}</text>${bar(y, s.citizen, 'citizen')}${bar(y + 22, s.provider, 'provider')}`;
    })
    .join('');
  const legend = `<rect x="${left}" y="4" width="14" height="14" fill="${COLORS.citizen}"></rect><text x="${left + 20}" y="16" font-size="13">${t.citizen}</text><rect x="${left + 120}" y="4" width="14" height="14" fill="${COLORS.provider}"></rect><text x="${left + 140}" y="16" font-size="13">${t.provider}</text>`;
  return `<svg role="img" aria-labelledby="timing-title" viewBox="0 0 ${left + width + 200} ${height}" xmlns="http://www.w3.org/2000/svg"><title id="timing-title">${esc(t.medianTitle)}</title>${legend}${rows}</svg>`;
}

function waitingSvg(counts: Record<Exclude<WaitingOn, 'none'>, number>, locale: Locale): string {
  const t = WORDS[locale];
  const keys = ['citizen', 'provider', 'both'] as const;
  const max = Math.max(1, ...keys.map((k) => counts[k]));
  const bars = keys
    .map((k, i) => {
      const w = (counts[k] / max) * 380;
      const y = 10 + i * 34;
      return `<text x="0" y="${y + 16}" font-size="13">${esc(t.waiting[k])}</text><rect x="110" y="${y}" width="${w.toFixed(1)}" height="22" fill="${COLORS[k]}"></rect><text x="${116 + w}" y="${y + 16}" font-size="13">${counts[k]}</text>`;
    })
    .join('');
  return `<svg role="img" aria-labelledby="waiting-title" viewBox="0 0 560 115" xmlns="http://www.w3.org/2000/svg"><title id="waiting-title">${esc(t.waitingTitle)}</title>${bars}</svg>`;
}

export interface ChartInput {
  service: Service;
  locale: Locale;
  base: string;
  timings: StageTiming[];
  waiting: Record<Exclude<WaitingOn, 'none'>, number>;
  caseCount: number;
}

export function chartBody(input: ChartInput): string {
  const { locale, timings, waiting } = input;
  const t = WORDS[locale];
  const timingRows = timings
    .map(
      (s) =>
        `<tr><th scope="row">${esc(s.title[locale])}</th><td>${fmt(s.citizen, locale)} (n=${s.samples.citizen})</td><td>${fmt(s.provider, locale)} (n=${s.samples.provider})</td></tr>`,
    )
    .join('');
  const waitRows = (['citizen', 'provider', 'both'] as const)
    .map((k) => `<tr><th scope="row">${t.waiting[k]}</th><td>${waiting[k]}</td></tr>`)
    .join('');
  return `<p><a href="${esc(input.base)}/services/${esc(input.service.id)}">${t.back}</a></p>
<h1>${t.chart}: ${esc(input.service.title[locale])}</h1><p>${t.basedOn(input.caseCount)}</p>
<section aria-labelledby="median"><h2 id="median">${t.medianTitle}</h2>${timingSvg(timings, locale)}
<div class="cp-table"><table><thead><tr><th scope="col">${t.stage}</th><th scope="col">${t.citizen}</th><th scope="col">${t.provider}</th></tr></thead><tbody>${timingRows}</tbody></table></div></section>
<section aria-labelledby="waiting"><h2 id="waiting">${t.waitingTitle}</h2>${waitingSvg(waiting, locale)}
<div class="cp-table"><table><thead><tr><th scope="col">${t.waitingOn}</th><th scope="col">${t.count}</th></tr></thead><tbody>${waitRows}</tbody></table></div></section>`;
}
