/**
 * `npm run bench:report [-- N]`: the service report over N cases (default 100,000) of a year, on
 * dynalite, timed. What it does, honestly:
 *
 * 1. Generates N waste-collection cases spread over 365 days: per stage a STAGE_ENTERED and the
 *    partners' STEP_SUBMITTED events at random (log-normal) delays, 5% of them sent back once to an
 *    earlier stage, plus reminders, escalations and feedback answers. Each case's waiting comes from
 *    the real rule (caseWaiting) and becomes the real additions (visitAdditions), as submit.ts makes
 *    them.
 * 2. Writes the aggregates: the first CHECK_N cases (default 500) one fact at a time through the real
 *    update path (DynamoReportTally.addOnce: a conditional marker, then ADD), timed; all N cases summed
 *    in memory by the same additions and written as whole aggregate items in the same format
 *    (BatchWrite), because N x ~8 single updates on dynalite would take the better part of an hour.
 *    A check proves the shortcut: the CHECK_N cases written both ways give the same report.
 * 3. Times the report (the domain the handler calls: query + sums + percentiles) over the full
 *    range, RUNS times (default 5), and prints the median and the slowest with the figures.
 */

import { performance } from 'node:perf_hooks';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoReportTally } from '../functions/adapters/dynamo-report';
import { keys } from '../functions/adapters/table-keys';
import type { CaseEvent } from '../functions/domain/model';
import type { Addition, Counters } from '../functions/reports/ports';
import { serviceReport } from '../functions/reports/report';
import { reportCsv } from '../functions/reports/report-csv';
import { dayOf, visitAdditions } from '../functions/reports/tally';
import { caseWaiting } from '../functions/reports/waiting';
import { localDocumentClient, startDynalite } from '../test/support/dynalite';
import { findService } from '../workflows/catalog';
import { positiveInt } from './settings';

const N = positiveInt('N', process.argv[2] ?? process.env.N, 100_000);
const CHECK_N = Math.min(N, positiveInt('CHECK_N', process.env.CHECK_N, 500));
const RUNS = positiveInt('RUNS', process.env.RUNS, 5);
const ORG = 'gemeente-bench';
const service = findService('waste-collection');
if (!service) throw new Error('waste-collection is not in the catalogue');
const FROM = '2026-01-01';
const TO = '2026-12-31';
const YEAR0 = Date.parse(`${FROM}T00:00:00Z`);

// A small deterministic generator, so that runs compare.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
/** Log-normal delays around a median (seconds): most answers are quick, a few take days. */
const delay = (medianSeconds: number) => {
  const normal = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
  return Math.round(medianSeconds * Math.exp(normal));
};

interface Generated {
  caseId: string;
  additions: { id: string; additions: Addition[] }[];
}

function generate(n: number): Generated {
  const caseId = `bench-${n}`;
  const events: CaseEvent[] = [];
  let t = YEAR0 + Math.floor(random() * 330 * 86_400_000);
  let visit = 0;
  const at = (ms: number) => new Date(ms).toISOString();
  const stages = service?.stages ?? [];
  const order = stages.map((_, i) => i);
  // 5% are sent back once to the stage before the last (a "not done" answer).
  if (random() < 0.05 && stages.length >= 2) order.push(stages.length - 2, stages.length - 1);
  const additions: Generated['additions'] = [];
  for (const index of order) {
    const stage = stages[index];
    if (!stage) continue;
    visit += 1;
    events.push({
      caseId,
      at: at(t),
      type: 'STAGE_ENTERED',
      actor: 'system',
      detail: { stageId: stage.id, visit },
    });
    let end = t;
    for (const step of stage.steps) {
      const done = t + 1000 * delay(step.actor === 'citizen' ? 20 * 3600 : 30 * 3600);
      end = Math.max(end, done);
      events.push({
        caseId,
        at: at(done),
        type: 'STEP_SUBMITTED',
        actor: step.actor,
        stepId: step.id,
        detail: { visit },
      });
      if (random() < 0.3) {
        const side = step.actor;
        const notice: Counters = random() < 0.25 ? { overdue: 1 } : { reminders: 1 };
        const key = {
          org: ORG,
          serviceId: service?.id ?? '',
          day: dayOf(at(t + 86_400_000)),
          stageId: stage.id,
          side,
        };
        additions.push({ id: `notice-${step.id}-${visit}`, additions: [{ key, counts: notice }] });
      }
      if (stage.id === 'feedback') {
        const key = {
          org: ORG,
          serviceId: service?.id ?? '',
          day: dayOf(at(done)),
          stageId: stage.id,
          side: step.actor,
        };
        const counts: Counters = random() < 0.8 ? { feedbackYes: 1 } : { feedbackNo: 1 };
        additions.push({ id: `feedback-${step.id}-${visit}`, additions: [{ key, counts }] });
      }
    }
    t = end + 1000;
  }
  const waiting = caseWaiting(
    service as NonNullable<typeof service>,
    events,
    { status: 'COMPLETED', at: at(t) },
    new Date(t),
  );
  for (const v of waiting.stages)
    if (v.complete && v.endedAt !== undefined)
      additions.push({
        id: `visit-${v.stageId}-${v.visit}`,
        additions: visitAdditions({ org: ORG, serviceId: service?.id ?? '' }, { ...v, endedAt: v.endedAt }),
      });
  return { caseId, additions };
}

/** Sums additions per aggregate item, as the ADDs would. */
function sum(
  into: Map<string, { key: Addition['key']; counts: Counters }>,
  additions: readonly Addition[],
  org = ORG,
) {
  for (const { key, counts } of additions) {
    const k = { ...key, org };
    const name = `${k.org}#${k.day}#${k.stageId}#${k.side}`;
    const item = into.get(name) ?? { key: k, counts: {} };
    for (const [c, v] of Object.entries(counts)) item.counts[c] = (item.counts[c] ?? 0) + v;
    into.set(name, item);
  }
}

async function main() {
  const table = await startDynalite('coproduce-bench-report');
  const db = localDocumentClient(table.endpoint);
  const tally = new DynamoReportTally(db, table.tableName);
  const t0 = performance.now();
  const cases = Array.from({ length: N }, (_, i) => generate(i));
  const facts = cases.reduce((n, c) => n + c.additions.length, 0);
  console.log(
    `generated ${N} cases (${facts} counted facts) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // The real path, for the first CHECK_N cases, under an organisation of its own.
  const real = performance.now();
  let updates = 0;
  for (let i = 0; i < CHECK_N; i += 10)
    await Promise.all(
      cases.slice(i, i + 10).flatMap((c) =>
        c.additions.map((f) => {
          updates += 1 + f.additions.length;
          const additions = f.additions.map((a) => ({ ...a, key: { ...a.key, org: `${ORG}-real` } }));
          return tally.addOnce({ caseId: c.caseId, id: f.id, ttl: 1 }, additions);
        }),
      ),
    );
  const realSeconds = (performance.now() - real) / 1000;
  console.log(
    `real update path: ${CHECK_N} cases, ${updates} writes (markers + ADDs) in ${realSeconds.toFixed(1)} s (${Math.round(updates / realSeconds)} writes/s on dynalite)`,
  );

  // The same item format, summed in memory: all N cases, plus the CHECK_N cases again for the check.
  const items = new Map<string, { key: Addition['key']; counts: Counters }>();
  for (const c of cases) for (const f of c.additions) sum(items, f.additions);
  for (const c of cases.slice(0, CHECK_N))
    for (const f of c.additions) sum(items, f.additions, `${ORG}-bulk`);
  const all = [...items.values()];
  for (let i = 0; i < all.length; i += 25)
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.tableName]: all.slice(i, i + 25).map(({ key, counts }) => ({
            PutRequest: {
              Item: { ...keys.tally(key.org, key.serviceId, key.day, key.stageId, key.side), ...counts },
            },
          })),
        },
      }),
    );
  console.log(`aggregate items written: ${all.length} (per organisation: days x stages x 2 sides)`);

  const range = { from: FROM, to: TO };
  const svc = service as NonNullable<typeof service>;
  const viaReal = await serviceReport(tally, { org: `${ORG}-real` }, svc, range);
  const viaBulk = await serviceReport(tally, { org: `${ORG}-bulk` }, svc, range);
  const same = JSON.stringify(viaReal.stages) === JSON.stringify(viaBulk.stages);
  console.log(
    `check: the ${CHECK_N} cases through addOnce and through the bulk items give ${same ? 'the same' : 'DIFFERENT'} report`,
  );
  if (!same) process.exitCode = 1;

  const times: number[] = [];
  let report = viaReal;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    report = await serviceReport(tally, { org: ORG }, svc, range);
    reportCsv(report, 'nl');
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  const slowest = times.at(-1) as number;
  const visits = report.totals.citizen.visits;
  console.log(
    `report over ${FROM}..${TO} for ${N} cases (${visits} stage visits): median ${median.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms of ${RUNS} runs (JSON + CSV) — target < 1000 ms`,
  );
  const h = (s?: number) => (s === undefined ? '-' : `${(s / 3600).toFixed(1)} h`);
  for (const stage of report.stages)
    console.log(
      `  ${stage.stageId.padEnd(12)} citizen on provider: median ${h(stage.citizen.medianSeconds)}, p90 ${h(stage.citizen.p90Seconds)} | provider on citizen: median ${h(stage.provider.medianSeconds)}, p90 ${h(stage.provider.p90Seconds)} | overdue ${stage.citizen.overdue}/${stage.provider.overdue}, reminders ${stage.citizen.reminders}/${stage.provider.reminders}`,
    );
  console.log(
    `  feedback citizen yes/no ${report.totals.citizen.feedback.yes}/${report.totals.citizen.feedback.no}, provider ${report.totals.provider.feedback.yes}/${report.totals.provider.feedback.no}`,
  );
  await table.stop();
  if (slowest >= 1000) process.exitCode = 1;
  process.exit();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
