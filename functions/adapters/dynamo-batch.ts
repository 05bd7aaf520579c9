import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from './dynamo-items';

// Batched writes and counting queries for the round adapter. BatchWriteItem takes at most 25 requests
// and may hand some back (UnprocessedItems) under throttling: those are retried with backoff, and a
// batch that still has unprocessed items after the last try fails loudly instead of losing rows.

export const BATCH_SIZE = 25;
const MAX_TRIES = 8;

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function batchWrite(
  db: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
  backoffMs = 50,
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
  await Promise.all(chunks.map((chunk) => writeChunk(db, table, chunk, backoffMs)));
}

async function writeChunk(
  db: DynamoDBDocumentClient,
  table: string,
  chunk: WriteRequest[],
  backoffMs: number,
): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    if (pending.length === 0) return;
  }
  throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${MAX_TRIES} tries`);
}

/** Counts the items a query matches, page by page (a COUNT query still stops at 1 MB read). */
export async function countQuery(
  db: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, Select: 'COUNT', ExclusiveStartKey: start }));
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/** Calls `page` for every page of a query; only one page is in memory at a time. */
export async function forEachPage(
  db: DynamoDBDocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
  page: (items: Item[]) => Promise<void> | void,
): Promise<void> {
  let start: Item | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    await page(out.Items ?? []);
    start = out.LastEvaluatedKey;
  } while (start);
}
