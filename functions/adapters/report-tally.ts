import type { ReportTally } from '../reports/ports';
import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoReportTally } from './dynamo-report';

// The service report's running aggregates (functions/reports), in the case table; imported only by the
// functions that count (where events are written) or read the report.
export const reportTally: ReportTally = new DynamoReportTally(documentClient(), requireEnv('TABLE_NAME'));
