import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { CaseEvent, CaseRecord, StepRecord } from '../domain/model';
import type { ProcessingRecord } from '../domain/processing-log';
import { ValidationError } from '../shared/errors';

// Mapping between table items and domain records. Key and index attributes (and the bookkeeping
// the state machine and the phone index need) never leave the adapter.

export type Item = Record<string, unknown>;

export function omit(item: Item, names: readonly string[]): Item {
  const copy: Item = { ...item };
  for (const name of names) delete copy[name];
  return copy;
}

// `visits` is the state machine's stage counter, not part of the record.
const CASE_INTERNAL = ['pk', 'sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'visits'] as const;
// `phoneHash` is kept on the step only to restore the phone index on a revert (see dynamo-steps.ts);
// `ttl` is retention bookkeeping copied from the case.
const STEP_INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'phoneHash', 'ttl'] as const;
const EVENT_INTERNAL = ['pk', 'sk', 'ttl'] as const;
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

export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

// The cursor is the index's LastEvaluatedKey. It is checked before use: a cursor is client input,
// and one from another organisation or status filter must not steer the query elsewhere.
const cursorKey = z.strictObject({ pk: z.string(), sk: z.string(), gsi2pk: z.string(), gsi2sk: z.string() });

export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, gsi2pk: string, sortPrefix: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const key = cursorKey.safeParse(parsed);
  if (!key.success || key.data.gsi2pk !== gsi2pk || !key.data.gsi2sk.startsWith(sortPrefix)) {
    throw new ValidationError('The cursor is not valid for this query; start again without it.', {
      fields: ['cursor'],
    });
  }
  return key.data;
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
