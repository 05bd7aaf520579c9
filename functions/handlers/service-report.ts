import { findService } from '../../workflows/catalog';
import { reportTally } from '../adapters/report-tally';
import { request } from '../contract/service-report';
import { providerOf } from '../domain/access';
import { reportRange, reportService, serviceReport } from '../reports/report';
import { reportCsv, reportFileName } from '../reports/report-csv';
import { httpRoute, json } from '../shared/http';
import { BASE_HEADERS } from '../shared/security-headers';

// GET /services/{serviceId}/report: who waits on whom in the caller's organisation's cases of the
// service, from the running aggregates (functions/reports). JSON, or CSV with format=csv or an Accept
// header that asks for text/csv.

export const handler = httpRoute(request, async ({ path, query, headers, claims }) => {
  const provider = providerOf(claims);
  const service = reportService(findService, path.serviceId, provider);
  const range = reportRange(query, new Date());
  const report = await serviceReport(reportTally, provider, service, range);
  const csv =
    query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(headers.accept ?? ''));
  if (!csv) return json(200, report);
  return {
    statusCode: 200,
    headers: {
      ...BASE_HEADERS,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${reportFileName(report)}"`,
    },
    body: reportCsv(report, query.lang ?? 'nl'),
  };
});
