/**
 * `npm run bench:local [-- N]`: N complete waste-collection cases driven over HTTP against the
 * embedded default (in process, temp DATA_DIR). Prints cases/s, p50/p99 step-submit latency, and
 * wall time per case against the bare DynamoDB writes a case needs on the same dynalite.
 * N (default 500) and CONCURRENCY (default 8) also come from the environment.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { providerToken } from '../local/runtime/demo';
import { startRuntime } from '../local/runtime/runtime';
import { ensureSynth } from '../local/runtime/synth';

const N = Number(process.argv[2] ?? process.env.N ?? 500);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const TWILIO = 'bench-twilio-token';
const root = resolve(__dirname, '..');

async function main() {
  process.env.TWILIO_AUTH_TOKEN = TWILIO;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  if (!process.env.CDK_OUT) await ensureSynth(root, console.log);
  const dataDir = mkdtempSync(join(tmpdir(), 'coproduce-bench-'));
  const rt = await startRuntime({
    cdkOut: resolve(process.env.CDK_OUT ?? join(root, 'cdk.out')),
    dataDir,
    port: 0,
    ...(process.env.BENCH_DEBUG ? { log: console.log, verbose: true } : {}),
  });
  const token = providerToken(rt.issuer, 'gemeente-bench', 'municipality');
  const submits: number[] = [];

  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${rt.url}${path}`, { method, body, headers });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text.startsWith('<') ? '{}' : text) as Record<string, unknown>) : {};
  };
  const staff = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const timed = async <T>(p: () => Promise<T>) => {
    const t = performance.now();
    const out = await p();
    submits.push(performance.now() - t);
    return out;
  };
  const waitFor = async (
    caseId: string,
    test: (v: { status: string; steps: { stepId: string; status: string }[] }) => boolean,
  ) => {
    // Polling with a growing pause: the poll itself is load on the system under test.
    for (let pause = 5; ; pause = Math.min(pause * 2, 80)) {
      const v = (await call('GET', `/cases/${caseId}`, undefined, staff)) as never;
      if (test(v)) return;
      await new Promise((r) => setTimeout(r, pause));
    }
  };
  const open = (stepId: string) => (v: { steps: { stepId: string; status: string }[] }) =>
    v.steps.some((s) => s.stepId === stepId && s.status === 'OPEN');
  const sms = (from: string, text: string) => {
    const p = {
      From: from,
      To: '+3197010000000',
      Body: text,
      MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    };
    const signed = Object.keys(p)
      .sort()
      .reduce((a, k) => a + k + p[k as keyof typeof p], `${rt.url}/sms/inbound`);
    const sig = createHmac('sha1', TWILIO).update(signed).digest('base64');
    return call('POST', '/sms/inbound', new URLSearchParams(p).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': sig,
    });
  };
  const provider = (caseId: string, stepId: string, data: object) =>
    call('POST', `/cases/${caseId}/steps/${stepId}`, JSON.stringify({ data }), staff);

  async function oneCase(i: number) {
    const phone = `+316${String(10_000_000 + i).slice(-8)}`;
    const created = await call(
      'POST',
      '/cases',
      JSON.stringify({ serviceId: 'waste-collection', citizen: { phone, locale: 'nl' } }),
      staff,
    );
    const caseId = String(created.caseId);
    await waitFor(caseId, open('present'));
    await timed(() => sms(phone, 'ja'));
    await timed(() => provider(caseId, 'collect', { collected: true }));
    await waitFor(caseId, open('household-feedback'));
    await timed(() => sms(phone, 'ja'));
    await waitFor(caseId, open('municipality-feedback'));
    await timed(() => provider(caseId, 'municipality-feedback', { satisfied: true }));
    await waitFor(caseId, (v) => v.status === 'COMPLETED');
  }

  const writeOps = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'];
  const writes = () => writeOps.reduce((n, op) => n + (rt.dynamo.requests.get(op) ?? 0), 0);
  const pool = async (count: number, work: (i: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
        while (next < count) await work(next++);
      }),
    );
  };

  console.log(`bench:local: ${N} waste-collection cases, concurrency ${CONCURRENCY}`);
  const writesBefore = writes();
  const t0 = performance.now();
  await pool(N, oneCase);
  const wall = performance.now() - t0;
  const writesPerCase = (writes() - writesBefore) / N;

  // The floor: the same number of ~1 KB writes, same concurrency, same dynalite.
  const table = 'bench-bare-writes';
  await rt.dynamo.client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const perCase = Math.round(writesPerCase);
  const filler = 'x'.repeat(900);
  const t1 = performance.now();
  await pool(N, async (i) => {
    for (let w = 0; w < perCase; w++) {
      await rt.dynamo.client.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: `${i}#${w}` }, v: { S: filler } } }),
      );
    }
  });
  const bare = performance.now() - t1;

  submits.sort((a, b) => a - b);
  const pct = (p: number) =>
    submits[Math.min(submits.length - 1, Math.floor((p / 100) * submits.length))] ?? 0;
  console.log(
    [
      `cases/s                 ${(N / (wall / 1000)).toFixed(1)}`,
      `wall time               ${(wall / 1000).toFixed(1)} s (${(wall / N).toFixed(2)} ms per case)`,
      `step submit latency     p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms (${submits.length} submits)`,
      `DynamoDB writes / case  ${writesPerCase.toFixed(1)} (bare: ${(bare / N).toFixed(2)} ms per case)`,
      `wall / bare writes      ${(wall / bare).toFixed(1)}x`,
    ].join('\n'),
  );
  await rt.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
