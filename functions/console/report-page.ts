import type { Service } from '../../workflows/schema';
import type { Actor, Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import { esc } from '../pages/html';
import { MAX_REPORT_DAYS, RANGE_RULES, type ServiceReport, type SideFigures } from '../reports/report';
import { spokenDuration } from '../reports/waiting-words';
import { alertBox } from './layout';

// The service report in the console, as chart-page.ts draws its charts: server-rendered SVG (per stage
// the median waiting of each side, its 90th percentile as an outline), with a table that holds every
// figure of the chart and more, a form for the range and the CSV download. No script.

const COLORS: Record<Actor, string> = { citizen: '#1d5b8f', provider: '#b35900' };

const WORDS = {
  nl: {
    title: 'Wie wacht op wie',
    back: 'Terug naar de zaken',
    range: 'Periode',
    // Why an asked range was not used (reports/report.ts RANGE_RULES); the last 30 days are shown instead.
    rangeRules: {
      date: (field: string) => `Vul bij ‘${field}’ een datum in als JJJJ-MM-DD.`,
      order: (from: string, to: string) => `‘${from}’ ligt na ‘${to}’.`,
      length: () => `Een rapport beslaat ten hoogste ${MAX_REPORT_DAYS} dagen.`,
    },
    rangeFallback: 'Hieronder staan de laatste 30 dagen.',
    from: 'Van',
    to: 'Tot en met',
    show: 'Toon',
    csv: 'Download als CSV',
    basedOn: (n: number, from: string, to: string) =>
      `${n} afgeronde fasebezoeken van ${from} tot en met ${to}.`,
    chartTitle: 'Wachttijd per fase: mediaan (vlak) en 90e percentiel (omlijning)',
    tableTitle: 'Alle cijfers',
    stage: 'Fase',
    side: 'Kant',
    visits: 'Bezoeken',
    median: 'Mediaan',
    p90: '90e percentiel',
    overdue: 'Eigen stappen te laat',
    reminders: 'Herinneringen gekregen',
    feedback: 'Tevreden (ja / nee)',
    all: 'Alle fasen',
    none: '—',
    noWait: 'geen',
    // A row is one side: how long it waited on the other, then its own late steps, reminders and feedback.
    side_: (side: Actor, org: string) =>
      side === 'citizen' ? `De inwoner (wachtte op ${org})` : `${org} (wachtte op de inwoner)`,
    resolution:
      'Wachttijden worden in vakjes geteld (0; tot 1 minuut; daarna telkens √2 keer zo breed, tot een jaar). Een percentiel ligt in het goede vakje en is tot op dat vakje nauwkeurig (hooguit 41%). Dagen zijn UTC-dagen; een fasebezoek telt op de dag dat het eindigde.',
  },
  en: {
    title: 'Who waits on whom',
    back: 'Back to the cases',
    range: 'Period',
    rangeRules: {
      date: (field: string) => `Enter a date as YYYY-MM-DD in ‘${field}’.`,
      order: (from: string, to: string) => `‘${from}’ is after ‘${to}’.`,
      length: () => `A report covers at most ${MAX_REPORT_DAYS} days.`,
    },
    rangeFallback: 'Below are the last 30 days.',
    from: 'From',
    to: 'To (inclusive)',
    show: 'Show',
    csv: 'Download as CSV',
    basedOn: (n: number, from: string, to: string) => `${n} completed stage visits from ${from} to ${to}.`,
    chartTitle: 'Waiting per stage: median (filled) and 90th percentile (outline)',
    tableTitle: 'All figures',
    stage: 'Stage',
    side: 'Side',
    visits: 'Visits',
    median: 'Median',
    p90: '90th percentile',
    overdue: 'Own steps overdue',
    reminders: 'Reminders received',
    feedback: 'Satisfied (yes / no)',
    all: 'All stages',
    none: '—',
    noWait: 'none',
    side_: (side: Actor, org: string) =>
      side === 'citizen' ? `The resident (waited on ${org})` : `${org} (waited on the resident)`,
    resolution:
      'Waiting times are counted in buckets (0; up to a minute; then each √2 times as wide, up to a year). A percentile lies in the right bucket and is exact to within it (at most 41%). Days are UTC days; a stage visit counts on the day it ended.',
  },
} as const;

const SIDES: readonly Actor[] = ['citizen', 'provider'];

function span(seconds: number | undefined, locale: Locale): string {
  const t = WORDS[locale];
  if (seconds === undefined) return t.none;
  return seconds === 0 ? t.noWait : spokenDuration(seconds, locale);
}

function chartSvg(report: ServiceReport, locale: Locale): string {
  const t = WORDS[locale];
  const org = orgDisplayName(report.org);
  const max = Math.max(1, ...report.stages.flatMap((s) => SIDES.map((side) => s[side].p90Seconds ?? 0)));
  const left = 230;
  const width = 420;
  const rowH = 56;
  const height = 10 + report.stages.length * rowH;
  const bar = (y: number, f: SideFigures, side: Actor) => {
    const w = (v: number | undefined) => (v === undefined ? 0 : Math.max(2, (v / max) * width));
    const label = `${t.side_(side, org)}: ${span(f.medianSeconds, locale)} / ${span(f.p90Seconds, locale)}`;
    return `<rect x="${left}" y="${y}" width="${w(f.p90Seconds).toFixed(1)}" height="18" fill="none" stroke="${COLORS[side]}" stroke-width="2"></rect><rect x="${left}" y="${y}" width="${w(f.medianSeconds).toFixed(1)}" height="18" fill="${COLORS[side]}"></rect><text x="${left + w(f.p90Seconds) + 6}" y="${y + 14}" font-size="12">${esc(label)}</text>`;
  };
  const rows = report.stages
    .map((s, i) => {
      const y = 10 + i * rowH;
      const title = s.title[locale].length > 30 ? `${s.title[locale].slice(0, 29)}…` : s.title[locale];
      return `<text x="0" y="${y + 22}" font-size="13">${esc(title)}</text>${bar(y, s.citizen, 'citizen')}${bar(y + 22, s.provider, 'provider')}`;
    })
    .join('');
  return `<svg role="img" aria-labelledby="report-chart-title" viewBox="0 0 ${left + width + 330} ${height}" xmlns="http://www.w3.org/2000/svg"><title id="report-chart-title">${esc(t.chartTitle)}</title>${rows}</svg>`;
}

function tableRows(report: ServiceReport, locale: Locale): string {
  const t = WORDS[locale];
  const org = orgDisplayName(report.org);
  const row = (stage: string, side: Actor, f: SideFigures) =>
    `<tr><th scope="row">${esc(stage)}</th><td>${esc(t.side_(side, org))}</td><td class="cp-num">${f.visits}</td><td>${esc(span(f.medianSeconds, locale))}</td><td>${esc(span(f.p90Seconds, locale))}</td><td class="cp-num">${f.overdue}</td><td class="cp-num">${f.reminders}</td><td class="cp-num">${f.feedback.yes} / ${f.feedback.no}</td></tr>`;
  const stages = report.stages.flatMap((s) => SIDES.map((side) => row(s.title[locale], side, s[side])));
  const totals = SIDES.map((side) => row(t.all, side, report.totals[side]));
  return [...stages, ...totals].join('');
}

export interface ReportPageInput {
  service: Service;
  report: ServiceReport;
  locale: Locale;
  base: string;
  /** Why the asked range was not used, per field as reportRange says it (the last 30 days are shown instead). */
  rangeErrors?: Partial<Record<'from' | 'to', string>>;
}

export function reportBody(input: ReportPageInput): string {
  const { service, report, locale } = input;
  const t = WORDS[locale];
  const path = `${input.base}/services/${service.id}`;
  const csv = `${path}/report?from=${report.from}&to=${report.to}&format=csv&lang=${locale}`;
  const error = input.rangeErrors ? alertBox(`<p>${esc(rangeSentence(input.rangeErrors, locale))}</p>`) : '';
  return `<p><a href="${esc(path)}">${t.back}</a></p>
<h1>${t.title}: ${esc(service.title[locale])}</h1>${error}
<p>${esc(t.basedOn(report.totals.citizen.visits, report.from, report.to))}</p>
<form method="get" action="${esc(path)}/report" class="cp-filters" aria-label="${t.range}"><div><label for="from">${t.from}</label><input type="date" id="from" name="from" value="${esc(report.from)}" required></div><div><label for="to">${t.to}</label><input type="date" id="to" name="to" value="${esc(report.to)}" required></div><button type="submit" class="utrecht-button utrecht-button--secondary-action">${t.show}</button></form>
<p><a href="${esc(csv)}" download>${t.csv}</a></p>
<section aria-labelledby="report-chart"><h2 id="report-chart">${t.chartTitle}</h2>${chartSvg(report, locale)}</section>
<section aria-labelledby="report-table"><h2 id="report-table">${t.tableTitle}</h2><div class="cp-table"><table><thead><tr><th scope="col">${t.stage}</th><th scope="col">${t.side}</th><th scope="col">${t.visits}</th><th scope="col">${t.median}</th><th scope="col">${t.p90}</th><th scope="col">${t.overdue}</th><th scope="col">${t.reminders}</th><th scope="col">${t.feedback}</th></tr></thead><tbody>${tableRows(report, locale)}</tbody></table></div>
<p>${esc(t.resolution)}</p></section>`;
}

export const REPORT_TITLE = { nl: WORDS.nl.title, en: WORDS.en.title } as const;

/** The range's refusal in the staff member's words: each broken rule once, then what is shown instead. */
function rangeSentence(errors: Partial<Record<'from' | 'to', string>>, locale: Locale): string {
  const t = WORDS[locale];
  const said = Object.entries(errors).map(([field, message]) => {
    const label = field === 'to' ? t.to : t.from;
    if (message === RANGE_RULES.date) return t.rangeRules.date(label);
    if (message === RANGE_RULES.order) return t.rangeRules.order(t.from, t.to);
    if (message === RANGE_RULES.length) return t.rangeRules.length();
    return message;
  });
  return [...said, t.rangeFallback].join(' ');
}
