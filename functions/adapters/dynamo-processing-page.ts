import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PageKey } from '../domain/ports';
import type { ProcessingPage } from '../domain/processing-log';
import { toProcessing } from './dynamo-items';
import { CASE_PARTITION, keys, pastPrefix } from './table-keys';

// A case's processing log a page at a time, newest first: one Query down its LOG# keys. A view holds only
// the newest records (dynamo-case-view.ts), so this is how staff reach the older ones. The page's position
// is the sort key of its oldest record; the edges hand it out only sealed to this case's log.

/** Just past every LOG# key. */
const AFTER_LOG = pastPrefix(CASE_PARTITION.processing);

export async function readProcessingPage(
  db: DynamoDBDocumentClient,
  table: string,
  caseId: string,
  limit: number,
  before?: PageKey,
): Promise<ProcessingPage> {
  const pk = keys.case(caseId).pk;
  const out = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': CASE_PARTITION.processing, ':to': AFTER_LOG },
      ScanIndexForward: false,
      // One more than shown says whether there is an older page, so the oldest page offers none.
      Limit: limit + 1,
      ConsistentRead: true,
      ...(before?.sk !== undefined && { ExclusiveStartKey: { pk, sk: before.sk } }),
    }),
  );
  const items = out.Items ?? [];
  const shown = items.slice(0, limit);
  const last = shown.at(-1);
  // A page cut short by DynamoDB's 1 MB (records are far smaller, but the read does not rely on it) goes on too.
  const more = items.length > limit || out.LastEvaluatedKey !== undefined;
  return { records: shown.map(toProcessing), ...(more && last && { older: { sk: String(last.sk) } }) };
}
