import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent } from '../domain/model';
import { eventsOf, type Item, queryDown } from './dynamo-items';
import { CASE_PARTITION, keys, pastPrefix } from './table-keys';

// The events of one stage visit, for its waiting (reports/tally.ts): the log read down from its newest
// event to the visit's STAGE_ENTERED, so that what a submission reads stays the size of a visit however
// long the case's history grows. Events sort by time (EVENT#<iso time>#<id>), and whatever came before the
// visit's entry has no say in its waiting (reports/waiting.ts).

/** Just past every EVENT# key. */
export const AFTER_EVENTS = pastPrefix(CASE_PARTITION.event);

/** Events per page: a visit's entry, its steps' invites and answers, and a reminder or two. */
const PAGE = 12;

const entersVisit = (item: Item, stageId: string, visit: number) => {
  const detail = item.detail as { stageId?: unknown; visit?: unknown } | undefined;
  return item.type === 'STAGE_ENTERED' && detail?.stageId === stageId && Number(detail?.visit) === visit;
};

export async function readStageVisitEvents(
  db: DynamoDBDocumentClient,
  table: string,
  caseId: string,
  stageId: string,
  visit: number,
): Promise<CaseEvent[]> {
  const entered = (item: Item) => entersVisit(item, stageId, visit);
  const items = await queryDown(
    db,
    table,
    {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.case(caseId).pk,
        ':from': CASE_PARTITION.event,
        ':to': AFTER_EVENTS,
      },
      ConsistentRead: true,
    },
    PAGE,
    (read) => read.some(entered),
  );
  const entry = items.find(entered);
  // The last page may reach below the entry: what is older than it is not the visit's.
  return eventsOf(entry ? items.filter((item) => String(item.at) >= String(entry.at)) : items);
}
