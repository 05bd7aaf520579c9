import type { Locale } from '../domain/model';
import type { ServiceReport, SideFigures } from './report';

// The service report as CSV (RFC 4180, UTF-8, CRLF), one row per stage and side plus the totals. A
// spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula: such a cell gets a
// leading apostrophe, so a stage title can never become a formula on a caseworker's machine.

const HEADER = [
  'stage',
  'title',
  'side',
  'visits',
  'median_seconds',
  'p90_seconds',
  'mean_seconds',
  'overdue',
  'reminders',
  'feedback_yes',
  'feedback_no',
];

/** One cell, safe for spreadsheets and quoted where CSV needs it. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (cells: (string | number | undefined)[]) => cells.map(csvCell).join(',');

const sideCells = (f: SideFigures) => [
  f.visits,
  f.medianSeconds,
  f.p90Seconds,
  f.meanSeconds,
  f.overdue,
  f.reminders,
  f.feedback.yes,
  f.feedback.no,
];

export function reportCsv(report: ServiceReport, locale: Locale): string {
  const lines = [row(HEADER)];
  for (const stage of report.stages)
    for (const side of ['citizen', 'provider'] as const)
      lines.push(row([stage.stageId, stage.title[locale], side, ...sideCells(stage[side])]));
  for (const side of ['citizen', 'provider'] as const)
    lines.push(
      row(['(all)', locale === 'nl' ? 'Alle fasen' : 'All stages', side, ...sideCells(report.totals[side])]),
    );
  return `${lines.join('\r\n')}\r\n`;
}

export const reportFileName = (report: ServiceReport) =>
  `report-${report.serviceId}-${report.from}-${report.to}.csv`;
