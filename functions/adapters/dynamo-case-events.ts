import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseView } from '../domain/ports';
import { eventsOf, queryAll, toCase } from './dynamo-items';
import { CASE_PARTITION, keys, pastPrefix } from './table-keys';

// The case item and its event log in one query, without the rest of the partition: the sort keys from
// CASE up to the last EVENT# are the case, its delegates (few, skipped) and its events, while the steps
// sort before the case, and the processing log (LOG#, one record per read of the case) and the report's
// markers after its events.

/** Just past every EVENT# key. */
export const AFTER_EVENTS = pastPrefix(CASE_PARTITION.event);

export async function readCaseEvents(
  db: DynamoDBDocumentClient,
  table: string,
  caseId: string,
): Promise<Pick<CaseView, 'case' | 'events'> | undefined> {
  const items = await queryAll(db, table, {
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': keys.case(caseId).pk,
      ':from': CASE_PARTITION.case,
      ':to': AFTER_EVENTS,
    },
    ConsistentRead: true,
  });
  const head = items.find((item) => item.sk === CASE_PARTITION.case);
  if (!head) return undefined;
  const events = eventsOf(items);
  return { case: toCase(head), events };
}
