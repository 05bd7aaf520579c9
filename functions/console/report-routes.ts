import type { Service } from '../../workflows/schema';
import { reportRange, serviceReport } from '../reports/report';
import { reportCsv, reportFileName } from '../reports/report-csv';
import { ValidationError } from '../shared/errors';
import { BASE_HEADERS } from '../shared/security-headers';
import { type Ctx, render } from './context';
import { basePath, type ConsoleResult } from './deps';
import { REPORT_TITLE, reportBody } from './report-page';

// GET /console/services/{id}/report[?from=&to=][&format=csv]: the service report of the staff's own
// organisation (the service is one of their kind's: serviceFor). A range that does not hold shows the
// last 30 days with what was wrong (400), rather than an error page.

export async function reportPage(ctx: Ctx, service: Service): Promise<ConsoleResult> {
  const { query, locale } = ctx.req;
  const now = ctx.deps.clock.now();
  let range: { from: string; to: string };
  let rangeErrors: Partial<Record<'from' | 'to', string>> | undefined;
  try {
    range = reportRange({ from: query.from, to: query.to }, now);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    rangeErrors =
      (error.details as { fields?: Partial<Record<'from' | 'to', string>> } | undefined)?.fields ?? {};
    range = reportRange({}, now);
  }
  const report = await serviceReport(ctx.deps.tally, { org: ctx.session.org }, service, range);
  if (query.format === 'csv' && !rangeErrors)
    return {
      statusCode: 200,
      headers: {
        ...BASE_HEADERS,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${reportFileName(report)}"`,
      },
      body: reportCsv(report, locale),
    };
  const body = reportBody({
    service,
    report,
    locale,
    base: basePath(ctx.deps),
    ...(rangeErrors && { rangeErrors }),
  });
  const title = `${REPORT_TITLE[locale]}: ${service.title[locale]}`;
  // A range that does not hold is the request's fault (400), also for a CSV download, which gets this
  // page rather than a file of other dates than it asked for.
  return render(ctx, rangeErrors ? 400 : 200, title, body, `/services/${service.id}/report`);
}
