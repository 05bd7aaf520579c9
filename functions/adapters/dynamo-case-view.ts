import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DelegateRecord } from '../delegation/model';
import type { CaseView, ProcessingRead } from '../domain/ports';
import { PROCESSING_SHOWN, viewRecords } from '../domain/processing-log';
import { CASE_STATUS_FIELDS, type CaseStanding, STEP_STATUS_FIELDS } from '../domain/status-view';
import { AFTER_EVENTS } from './dynamo-case-events';
import {
  eventsOf,
  type Item,
  omit,
  projectionOf,
  queryAll,
  queryDown,
  toCase,
  toProcessing,
  toStep,
} from './dynamo-items';
import { CASE_PARTITION, keys, pastPrefix } from './table-keys';

// A case as its pages and the API show it. Every read of a case adds a record to its processing log, so a
// view that read the partition whole grew with every read: after 2,000 reads of one case its
// GET /cases/{id} answered 660 KB, and a case polled each minute would have passed Lambda's 6 MB response
// limit within two weeks, each read costing more read units than the last. So a view reads one bounded page
// of the partition, which holds all of an ordinary case; a longer partition is read in two parts side by
// side instead: the case with its steps, delegates and events (sort keys #STEP# up to the last EVENT#), and,
// down from the last LOG#, the newest processing records. The whole log is read only where it is handed
// over whole (the citizen's export).

/** Items of the one page a view reads first: an ordinary case's partition, with room to spare. */
const FIRST_PAGE = 250;

/** Just past every LOG# key. */
const AFTER_LOG = pastPrefix(CASE_PARTITION.processing);

const startsWith = (prefix: string) => (item: Item) => String(item.sk).startsWith(prefix);

export async function readCaseView(
  db: DynamoDBDocumentClient,
  table: string,
  caseId: string,
  processing: ProcessingRead,
): Promise<CaseView | undefined> {
  const pk = keys.case(caseId).pk;
  const range = (from: string, to: string) => ({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
    ConsistentRead: true,
  });
  const whole = {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ConsistentRead: true,
  };
  if (processing === 'all') return viewOf(await queryAll(db, table, whole), processing);
  const first = await db.send(new QueryCommand({ TableName: table, ...whole, Limit: FIRST_PAGE }));
  const items = first.Items ?? [];
  if (!first.LastEvaluatedKey) return viewOf(items, processing);
  // The page got past the events when it holds a later item: then it holds the case's front whole.
  const front = items.filter((item) => String(item.sk) < AFTER_EVENTS);
  const [caseFront, back] = await Promise.all([
    front.length < items.length ? front : queryAll(db, table, range(CASE_PARTITION.step, AFTER_EVENTS)),
    newestRecords(db, table, range(CASE_PARTITION.processing, AFTER_LOG)),
  ]);
  return viewOf([...caseFront, ...back], processing);
}

/** What the standing's one Query asks for: both lists, and the sort key that tells the items apart. */
const STANDING_FIELDS = [...new Set(['sk', ...CASE_STATUS_FIELDS, ...STEP_STATUS_FIELDS])];

/**
 * Where a case stands: its steps and the case item, which sort next to each other (table-keys.ts), in one
 * Query; neither the events nor the processing log, so a poll costs the same however often the case was
 * read before; and of those items only the status view's attributes (status-view.ts), so nothing sealed is
 * read.
 */
export async function readCaseStanding(
  db: DynamoDBDocumentClient,
  table: string,
  caseId: string,
): Promise<CaseStanding | undefined> {
  const items = await queryAll(db, table, {
    KeyConditionExpression: 'pk = :pk AND sk <= :case',
    ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':case': CASE_PARTITION.case },
    ConsistentRead: true,
    ...projectionOf(STANDING_FIELDS),
  });
  const head = items.find((item) => item.sk === CASE_PARTITION.case);
  if (!head) return undefined;
  return {
    case: pick(head, CASE_STATUS_FIELDS) as CaseStanding['case'],
    steps: items
      .filter(startsWith(CASE_PARTITION.step))
      .map((item) => pick(item, STEP_STATUS_FIELDS)) as CaseStanding['steps'],
  };
}

/** The named attributes of an item: one projection serves both kinds of item, each keeps its own. */
function pick(item: Item, names: readonly string[]): Item {
  return Object.fromEntries(names.filter((name) => name in item).map((name) => [name, item[name]]));
}

/** The view of a case's items; 'latest' keeps the newest processing records (viewRecords). */
function viewOf(items: Item[], processing: ProcessingRead): CaseView | undefined {
  const head = items.find((item) => item.sk === CASE_PARTITION.case);
  if (!head) return undefined;
  // Oldest first, as the sort key orders them (a longer partition's newest come first).
  const records = items
    .filter(startsWith(CASE_PARTITION.processing))
    .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1))
    .map(toProcessing);
  return {
    case: toCase(head),
    steps: items.filter(startsWith(CASE_PARTITION.step)).map(toStep),
    events: eventsOf(items),
    ...viewRecords(records, processing),
    delegates: items
      .filter(startsWith(CASE_PARTITION.delegate))
      .map((item) => omit(item, ['pk', 'sk', 'ttl']) as unknown as DelegateRecord),
  };
}

/**
 * The newest PROCESSING_SHOWN + 1 processing records (one more than shown says whether there are older
 * ones), read down from the top of the log: one page, unless DynamoDB cut it short at its 1 MB.
 */
async function newestRecords(
  db: DynamoDBDocumentClient,
  table: string,
  input: { KeyConditionExpression: string; ExpressionAttributeValues: Item; ConsistentRead: boolean },
): Promise<Item[]> {
  const wanted = PROCESSING_SHOWN + 1;
  const items = await queryDown(db, table, input, wanted, (read) => read.length >= wanted);
  return items.slice(0, wanted);
}
