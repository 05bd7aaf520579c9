import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { TABLE } from '../../functions/adapters/table-keys';

// A real DynamoDB API (dynalite, in memory) on a free port, with the table exactly as
// table-keys.ts lays it out (the byRound index projects only what TABLE.byRound names). dynalite has no TTL API, so retention is not emulated here.

// dynalite ships no type declarations; this is the part of its API the tests use.
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; path?: string }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

export interface LocalTable {
  endpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'eu-west-1';

export async function startDynalite(tableName = 'coproduce-test'): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
    await untilActive(client, tableName);
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    tableName,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A test that forgot to destroy its SDK client must not hold the server open.
        server.closeAllConnections();
      }),
  };
}

/**
 * A table of the test file's own: dynalite started before its tests and stopped after them, with a document
 * client on it. `ready` builds what the tests use from both (a repository, a store) once they are there.
 */
export function useLocalTable(ready: (db: DynamoDBDocumentClient, tableName: string) => void = () => {}) {
  const local = {} as { table: LocalTable; db: DynamoDBDocumentClient };
  beforeAll(async () => {
    local.table = await startDynalite();
    local.db = localDocumentClient(local.table.endpoint);
    ready(local.db, local.table.tableName);
  });
  afterAll(async () => {
    local.db?.destroy();
    await local.table?.stop();
  });
  return local;
}

/** A document client configured like functions/shared/clients.ts, pointed at the local server. */
export function localDocumentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS }),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
}

async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((index) => index.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
}

function tableDefinition(tableName: string): ConstructorParameters<typeof CreateTableCommand>[0] {
  const { byPhone, byService, byServiceCreated, byRound } = TABLE;
  const attributes = [
    ...new Set([
      TABLE.partitionKey,
      TABLE.sortKey,
      ...[byPhone, byService, byServiceCreated, byRound].flatMap((i) => [i.partitionKey, i.sortKey]),
    ]),
  ];
  const keySchema = (index: { partitionKey: string; sortKey: string }) => [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      ...[byPhone, byService].map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index),
        Projection: { ProjectionType: 'ALL' as const },
      })),
      {
        IndexName: byServiceCreated.name,
        KeySchema: keySchema(byServiceCreated),
        Projection: { ProjectionType: 'KEYS_ONLY' as const },
      },
      {
        IndexName: byRound.name,
        KeySchema: keySchema(byRound),
        // As on AWS: a round's counts and spread need only these, and a narrow index is cheap to write.
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...byRound.nonKeyAttributes] },
      },
    ],
  };
}
