/**
 * DynamoDB: dynalite on LevelDB under DATA_DIR, in a thread of its own, with the template's tables.
 * dynalite has no TTL, so a sweeper (ttl-sweeper.ts) deletes expired items, judged by the engine's clock (TTL deletes
 * are free on AWS: the sweeper's requests are not metered). Every other request is metered in
 * on-demand read and write units (capacity.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { StepKeyMove } from '../../scripts/migrations/step-keys';
import { type Consumed, type Gate, UNMETERED } from './capacity';
import type { EngineClock } from './clock';
import { dynamoThreadSetting, startDynamoStore, type ThreadStats } from './dynamo-thread';
import { upgradeLayout } from './layout-upgrade';
import { physicalName } from './names';
import { type ResolveContext, resolve } from './resolve';
import { resourcesOfType } from './template';
import { ITEMS_PER_STEP, TtlSweeper } from './ttl-sweeper';

const JSON_1_0 = 'application/x-amz-json-1.0';

export interface TableSpec {
  name: string;
  input: CreateTableCommandInput;
  keyNames: string[];
  ttlAttribute?: string;
}

/** CreateTable inputs for the template's tables (AWS::DynamoDB::Table and ::GlobalTable). */
export function tableSpecs(ctx: ResolveContext): TableSpec[] {
  const found = [
    ...resourcesOfType(ctx.template, 'AWS::DynamoDB::Table'),
    ...resourcesOfType(ctx.template, 'AWS::DynamoDB::GlobalTable'),
  ];
  return found.map(([id, r]) => {
    const p = resolve(ctx, r.Properties ?? {}) as Record<string, unknown>;
    const name = physicalName(ctx, id);
    const ttl = p.TimeToLiveSpecification as { Enabled?: boolean; AttributeName?: string } | undefined;
    const gsis = p.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined;
    const lsis = p.LocalSecondaryIndexes as Record<string, unknown>[] | undefined;
    const index = (i: Record<string, unknown>) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection ?? { ProjectionType: 'ALL' },
    });
    const input = {
      TableName: name,
      KeySchema: p.KeySchema,
      AttributeDefinitions: p.AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      ...(gsis?.length ? { GlobalSecondaryIndexes: gsis.map(index) } : {}),
      ...(lsis?.length ? { LocalSecondaryIndexes: lsis.map(index) } : {}),
    } as CreateTableCommandInput;
    const keyNames = (input.KeySchema ?? []).map((k) => k.AttributeName as string);
    return { name, input, keyNames, ...(ttl?.Enabled ? { ttlAttribute: ttl.AttributeName } : {}) };
  });
}

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tables: TableSpec[];
  /** Deletes items whose TTL attribute (epoch seconds) is before `nowMs`, in every table; returns how many. */
  sweep(nowMs: number): Promise<number>;
  /** The same for the next few thousand items, going on where the last step stopped (ttl-sweeper.ts). */
  sweepStep(nowMs: number): Promise<number>;
  /** Requests served, per operation (X-Amz-Target without the API version), for benchmarks. */
  requests: Map<string, number>;
  /** What this start moved of a data folder in an older layout (layout-upgrade.ts); undefined if nothing ran. */
  upgraded: StepKeyMove | undefined;
  /** Read and write request units of every request served (functions and state machines), as billed on demand. */
  consumed(): Consumed;
  /** dynalite's thread's heap (bytes) and CPU, for benchmarks; undefined when it runs on the main thread. */
  threadStats(): Promise<ThreadStats | undefined>;
  stop(): Promise<void>;
}

/** Each table's partition key attribute, and each of its indexes' (for dynamodb:LeadingKeys). */
export function partitionKeys(
  tables: TableSpec[],
): Map<string, { table: string[]; indexes: Map<string, string> }> {
  const hash = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  return new Map(
    tables.map((t) => [
      t.name,
      {
        table: [hash(t.input.KeySchema)],
        indexes: new Map(
          [...(t.input.GlobalSecondaryIndexes ?? []), ...(t.input.LocalSecondaryIndexes ?? [])].map((i) => [
            i.IndexName as string,
            hash(i.KeySchema),
          ]),
        ),
      },
    ]),
  );
}

export async function startDynamo(
  path: string | undefined,
  tables: TableSpec[],
  gate?: Gate,
  clock?: EngineClock,
  threaded = dynamoThreadSetting(),
  itemsPerSweepStep = ITEMS_PER_STEP,
): Promise<LocalDynamo> {
  // dynalite runs in a thread of its own by default (dynamo-store.ts); this endpoint counts, gates and relays.
  const thread = await startDynamoStore(path, threaded);
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
    requests.set(op, (requests.get(op) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const housekeeping = req.headers[UNMETERED] !== undefined;
      const refused = gate?.(req, body, housekeeping);
      if (refused) {
        res.writeHead(refused.status, { 'content-type': JSON_1_0, 'x-amzn-requestid': randomUUID() });
        return void res.end(refused.body);
      }
      const request = { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers };
      thread.send({ ...request, body, housekeeping }).then(
        (reply) => res.writeHead(reply.status, reply.headers).end(reply.body),
        (e: Error) => {
          const error = {
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: e.message,
          };
          if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_1_0 }).end(JSON.stringify(error));
        },
      );
    });
  });
  clock?.stamp(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientFor = (unmetered: boolean) => {
    const c = new DynamoDBClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    if (unmetered) {
      c.middlewareStack.add(
        (next) => (args) => {
          (args.request as { headers: Record<string, string> }).headers[UNMETERED] = '1';
          return next(args);
        },
        { step: 'build', name: 'localUnmetered' },
      );
    }
    return c;
  };
  const client = clientFor(false);
  const admin = clientFor(true);
  const existing = new Set((await admin.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const t of tables) {
    if (existing.has(t.name)) continue;
    await admin.send(new CreateTableCommand(t.input));
    // dynalite activates a new table on a timer; closing its database before that timer fires crashes it.
    await waitUntilTableExists(
      { client: admin, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 },
      { TableName: t.name },
    );
  }

  // A data folder from before a layout change: its items move once (layout-upgrade.ts).
  const upgraded = path
    ? await upgradeLayout(
        admin,
        path,
        tables.filter((t) => existing.has(t.name)).map((t) => t.name),
      )
    : undefined;
  const sweeper = new TtlSweeper(admin, tables, itemsPerSweepStep);

  return {
    endpoint,
    client,
    tables,
    requests,
    upgraded,
    consumed: () => thread.consumed(),
    threadStats: () => thread.stats(),
    sweep: (nowMs) => sweeper.sweep(nowMs),
    sweepStep: (nowMs) => sweeper.step(nowMs),
    async stop() {
      client.destroy();
      admin.destroy();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections(); // idle keep-alive sockets of the functions' SDK clients
      });
      await thread.stop();
    },
  };
}
