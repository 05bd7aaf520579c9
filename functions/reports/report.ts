import type { Service } from '../../workflows/schema';
import { DAY_MS } from '../domain/clock';
import type { Actor, Provider } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { BUCKET_COUNT, percentile } from './histogram';
import type { Counters, ReportTally, TallyRow } from './ports';

// The service report for the provider: per stage and side, how long that side waited on the other
// (median and 90th percentile over the stage visits that ended in the range), how many of its steps
// went past their due date, how many reminders it got, and its feedback answers. Built from the
// running aggregates (tally.ts) only: one query of days x stages x sides items, whatever the number
// of cases, so the report answers as fast for 100,000 cases as for ten.

type Bilingual = { nl: string; en: string };

export const REPORT_RESOLUTION =
  'Waiting times are counted in buckets (0; up to 1 minute; then each bucket sqrt(2) times as wide, up to a year); a percentile is interpolated within its bucket, so it is exact to within that bucket (at most 41% of the value). Days are UTC days; a stage visit counts on the day it ended.';

export interface SideFigures {
  /** Stage visits ended in the range (both sides done). */
  visits: number;
  /** Seconds this side waited on the other, per stage visit; absent without visits. */
  medianSeconds?: number;
  p90Seconds?: number;
  meanSeconds?: number;
  /** Steps of this side past their due date (escalated). */
  overdue: number;
  /** Reminders sent to this side. */
  reminders: number;
  /** This side's answers to "did the partnership go well?". */
  feedback: { yes: number; no: number };
}

export interface StageReport {
  stageId: string;
  title: Bilingual;
  /** Mean seconds per visit in which both partners were still busy. */
  sharedMeanSeconds?: number;
  citizen: SideFigures;
  provider: SideFigures;
}

export interface ServiceReport {
  serviceId: string;
  org: string;
  orgName: string;
  from: string;
  to: string;
  resolution: string;
  stages: StageReport[];
  totals: { citizen: SideFigures; provider: SideFigures };
}

export interface ReportRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** The longest range a report covers: two years of days. */
export const MAX_REPORT_DAYS = 731;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The range asked for, checked: real dates, from <= to, at most MAX_REPORT_DAYS; else the last 30 days. */
/** What a range that does not hold breaks, as the API says it; the console puts each in its own words. */
export const RANGE_RULES = {
  date: 'Use a date as YYYY-MM-DD.',
  order: 'Use a date on or before `to`.',
  length: `A report covers at most ${MAX_REPORT_DAYS} days.`,
} as const;

export function reportRange(range: ReportRange, now: Date): { from: string; to: string } {
  const fields: Record<string, string> = {};
  const day = (name: 'from' | 'to', value: string | undefined, fallback: string) => {
    if (value === undefined) return fallback;
    const parsed = DATE.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value)
      fields[name] = RANGE_RULES.date;
    return value;
  };
  const to = day('to', range.to, now.toISOString().slice(0, 10));
  // A default start only from a valid end (an invalid one is already a field error).
  const fallback = fields.to ? to : new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString();
  const from = day('from', range.from, fallback.slice(0, 10));
  if (Object.keys(fields).length === 0) {
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (days < 1) fields.from = RANGE_RULES.order;
    else if (days > MAX_REPORT_DAYS) fields.from = RANGE_RULES.length;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError('The report range is not valid.', { fields });
  return { from, to };
}

/** The service, when the provider's kind provides it: another organisation kind's service is a 403. */
export function reportService(
  find: (serviceId: string) => Service | undefined,
  serviceId: string,
  provider: Pick<Provider, 'orgKind'>,
): Service {
  const service = find(serviceId);
  if (!service) throw new NotFoundError(`There is no service '${serviceId}'.`, { serviceId });
  if (service.providerKind !== provider.orgKind)
    throw new ForbiddenError(
      `The service '${serviceId}' is provided by another kind of organisation; its report is theirs.`,
      { serviceId },
      'NOT_YOUR_SERVICE',
    );
  return service;
}

export async function serviceReport(
  tally: Pick<ReportTally, 'read'>,
  provider: Pick<Provider, 'org'>,
  service: Service,
  range: { from: string; to: string },
): Promise<ServiceReport> {
  const rows = await tally.read(provider.org, service.id, range.from, range.to);
  return buildReport(provider.org, service, range, rows);
}

/** Adds up the rows of the range per stage and side (exported for the bench and the tests). */
export function buildReport(
  org: string,
  service: Service,
  range: { from: string; to: string },
  rows: readonly TallyRow[],
): ServiceReport {
  const sums = new Map<string, Counters>();
  const key = (stageId: string, side: Actor) => `${stageId}\u0000${side}`;
  for (const row of rows) {
    const into = sums.get(key(row.stageId, row.side)) ?? {};
    for (const [name, n] of Object.entries(row.counts)) into[name] = (into[name] ?? 0) + n;
    sums.set(key(row.stageId, row.side), into);
  }
  const stageIds = [
    ...service.stages.map((s) => s.id),
    ...new Set(rows.map((r) => r.stageId).filter((id) => !service.stages.some((s) => s.id === id))),
  ];
  const titles = new Map(service.stages.map((s) => [s.id, s.title]));
  const stages = stageIds.map((stageId): StageReport => {
    const citizen = sums.get(key(stageId, 'citizen')) ?? {};
    const provider = sums.get(key(stageId, 'provider')) ?? {};
    const visits = citizen.visits ?? 0;
    return {
      stageId,
      title: titles.get(stageId) ?? { nl: stageId, en: stageId },
      ...(visits > 0 && { sharedMeanSeconds: Math.round((citizen.shared ?? 0) / visits) }),
      citizen: figures(citizen),
      provider: figures(provider),
    };
  });
  const total = (side: Actor) => {
    const all: Counters = {};
    for (const [k, counts] of sums)
      if (k.endsWith(`\u0000${side}`))
        for (const [n, v] of Object.entries(counts)) all[n] = (all[n] ?? 0) + v;
    return figures(all);
  };
  return {
    serviceId: service.id,
    org,
    orgName: orgDisplayName(org),
    from: range.from,
    to: range.to,
    resolution: REPORT_RESOLUTION,
    stages,
    totals: { citizen: total('citizen'), provider: total('provider') },
  };
}

function figures(counts: Counters): SideFigures {
  const histogram = Array.from({ length: BUCKET_COUNT }, (_, i) => counts[`h${i}`] ?? 0);
  const visits = counts.visits ?? 0;
  const median = percentile(histogram, 0.5);
  const p90 = percentile(histogram, 0.9);
  return {
    visits,
    ...(median !== undefined && { medianSeconds: median }),
    ...(p90 !== undefined && { p90Seconds: p90 }),
    ...(visits > 0 && { meanSeconds: Math.round((counts.waited ?? 0) / visits) }),
    overdue: counts.overdue ?? 0,
    reminders: counts.reminders ?? 0,
    feedback: { yes: counts.feedbackYes ?? 0, no: counts.feedbackNo ?? 0 },
  };
}
