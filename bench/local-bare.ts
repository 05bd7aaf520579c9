/**
 * The floor of bench/local.ts: the PutItems one case needs, each ~1 KB, one case's writes in
 * sequence (as a case's own writes are), `width` cases at a time, on the runtime's dynalite.
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Runtime } from '../local/runtime/runtime';

export interface BareResult {
  msPerCase: number;
  /** CPU of the whole process (every thread) per case, ms: the client, the endpoint and dynalite. */
  cpuMsPerCase: number;
  cases: number;
}

/** Writes `cases` cases' worth (fewer if `boundMs` runs out first) into a fresh table named after `tag`. */
export async function bareWrites(
  rt: Runtime,
  o: { tag: string; cases: number; writesPerCase: number; width: number; boundMs: number },
): Promise<BareResult> {
  const table = `bench-bare-writes-${o.tag}`;
  await rt.dynamo.client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // dynalite answers CreateTable with CREATING and activates the table on a timer; a PutItem before
  // that is a ResourceNotFoundException.
  for (let i = 0; ; i++) {
    const { Table } = await rt.dynamo.client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') break;
    if (i > 200) throw new Error(`${table} did not become ACTIVE`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const filler = 'x'.repeat(900);
  const end = performance.now() + o.boundMs;
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < o.cases && performance.now() < end) {
      const i = next++;
      for (let w = 0; w < o.writesPerCase; w++) {
        await rt.dynamo.client.send(
          new PutItemCommand({ TableName: table, Item: { pk: { S: `${i}#${w}` }, v: { S: filler } } }),
        );
      }
      done++;
    }
  };
  const t = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(o.width, o.cases) }, lane));
  const used = process.cpuUsage(cpu);
  const per = (ms: number) => ms / Math.max(1, done);
  return {
    msPerCase: per(performance.now() - t),
    cpuMsPerCase: per((used.user + used.system) / 1000),
    cases: done,
  };
}
