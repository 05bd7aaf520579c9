import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CaseEvent, CaseRecord, StepRecord } from '../domain/model';
import type { PageKey } from '../domain/ports';
import type { ProcessingRecord } from '../domain/processing-log';
import { ValidationError } from '../shared/errors';
import { CASE_PARTITION } from './table-keys';

// Mapping between table items and domain records. Key and index attributes (and the bookkeeping
// the state machine and the phone index need) never leave the adapter.

export type Item = Record<string, unknown>;

export function omit(item: Item, names: readonly string[]): Item {
  const copy: Item = { ...item };
  for (const name of names) delete copy[name];
  return copy;
}

// `visits` is the state machine's stage counter, not part of the record.
// `delegateIndex`/`delegateVersion`: the delegates' limit and its lock (delegation/dynamo-delegates.ts).
const CASE_INTERNAL = [
  'pk',
  'sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'visits',
  'delegateIndex',
  'delegateVersion',
] as const;
// `phoneHash` is kept on the step only to restore the phone index on a revert (see dynamo-steps.ts);
// `ttl` is retention bookkeeping copied from the case.
const STEP_INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'phoneHash', 'ttl'] as const;
// `followedBy`: the events written in one item with the item's own (appendEventGroup), listed by eventsOf.
const EVENT_INTERNAL = ['pk', 'sk', 'ttl', 'followedBy'] as const;
const PROCESSING_INTERNAL = ['pk', 'sk', 'ttl'] as const;

export const toCase = (item: Item): CaseRecord => omit(item, CASE_INTERNAL) as unknown as CaseRecord;
export const toStep = (item: Item): StepRecord => omit(item, STEP_INTERNAL) as unknown as StepRecord;
export const toEvent = (item: Item): CaseEvent => omit(item, EVENT_INTERNAL) as unknown as CaseEvent;
export const toProcessing = (item: Item): ProcessingRecord =>
  omit(item, PROCESSING_INTERNAL) as unknown as ProcessingRecord;

/** Events sort by time; the random id in the sort key breaks ties deterministically. */
export function byTime(a: Item, b: Item): number {
  const diff = Date.parse(String(a.at)) - Date.parse(String(b.at));
  if (diff !== 0 && !Number.isNaN(diff)) return diff;
  return String(a.sk).localeCompare(String(b.sk));
}

/** The case events among a case partition's items, in time order, each event of a group on its own. */
export function eventsOf(items: readonly Item[]): CaseEvent[] {
  return items
    .filter((item) => String(item.sk).startsWith(CASE_PARTITION.event))
    .flatMap(withFollowers)
    .sort(byTime)
    .map(toEvent);
}

/** An event item and the events written with it, as items of their own that sort after it on a tie. */
function withFollowers(item: Item): Item[] {
  const followers = item.followedBy as Item[] | undefined;
  if (!followers?.length) return [item];
  const own = (event: Item, index: number) => ({ ...event, caseId: item.caseId, sk: `${item.sk}#${index}` });
  return [item, ...followers.map(own)];
}

export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

// Paging: a listing's position is the query's LastEvaluatedKey, handed out as a PageKey (which the edge
// seals for clients) and taken back as the next ExclusiveStartKey. It is checked before DynamoDB sees
// it: exactly the index's key attributes, in the partition (and sort range) of this query. A key that
// fails would make DynamoDB answer ValidationException, a 500; here it is a 400 like any bad input.

export interface PageShape {
  /** The attributes of the index's LastEvaluatedKey: the table's key and the index's key. */
  names: readonly string[];
  /** The partition key attribute of the index and its value for this query. */
  partition: readonly [name: string, value: string];
  /** The sort key attribute and the prefix every key of this query has ('' for any). */
  sort: readonly [name: string, prefix: string];
}

export function startKey(after: PageKey, shape: PageShape): Item {
  const names = Object.keys(after);
  const [partitionName, partitionValue] = shape.partition;
  const [sortName, prefix] = shape.sort;
  const ok =
    names.length === shape.names.length &&
    shape.names.every((name) => typeof after[name] === 'string' && after[name] !== '') &&
    after[partitionName] === partitionValue &&
    (after[sortName] as string).startsWith(prefix);
  if (!ok)
    throw new ValidationError('The cursor is not valid for this query; start again without it.', {
      fields: { cursor: 'not a cursor of this query' },
    });
  return { ...after };
}

/** A LastEvaluatedKey as a PageKey (every key attribute of the table and its indexes is a string). */
export function pageKey(key: Item | undefined): PageKey | undefined {
  if (!key) return undefined;
  return Object.fromEntries(Object.entries(key).map(([name, value]) => [name, String(value)]));
}

/** A ProjectionExpression of these attributes, each by an attribute name (`status` is a reserved word). */
export function projectionOf(attributes: readonly string[]) {
  return {
    ProjectionExpression: attributes.map((name) => `#${name}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name) => [`#${name}`, name])),
  };
}

/** Every page of a query: a case partition or a phone's open steps can exceed one 1 MB page. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  table: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await db.send(new QueryCommand({ TableName: table, ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * A query's range read down from its top (the newest first, where keys sort by time), a page of `pageSize`
 * at a time, until `enough` says the items read so far suffice or the range ends.
 */
export async function queryDown(
  db: DynamoDBDocumentClient,
  table: string,
  input: Omit<QueryCommandInput, 'TableName' | 'ScanIndexForward' | 'Limit' | 'ExclusiveStartKey'>,
  pageSize: number,
  enough: (items: readonly Item[]) => boolean,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        ...input,
        ScanIndexForward: false,
        Limit: pageSize,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && !enough(items));
  return items;
}

/** One PutItem, conditional when `condition` is given (a failed condition throws; see isConditionFailed). */
export async function putItem(
  db: DynamoDBDocumentClient,
  table: string,
  item: Item,
  condition?: string,
): Promise<void> {
  await db.send(
    new PutCommand({ TableName: table, Item: item, ...(condition && { ConditionExpression: condition }) }),
  );
}

/**
 * Writes an item whose key is not taken yet: false, and nothing written, when it is. The once-only
 * writes (an inbound SMS claim, a report marker, a round) are all this one PutItem.
 */
export async function putNew(db: DynamoDBDocumentClient, table: string, item: Item): Promise<boolean> {
  try {
    await putItem(db, table, item, 'attribute_not_exists(pk)');
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
