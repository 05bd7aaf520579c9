import { describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, getCase, provider, stepOpen } from './cases';
import { answers } from './forms';
import type { LocalSystem, Loose } from './harness';
import { withLocalSystem } from './setup';

// Who waits on whom, end to end over HTTP: two waste collections with known orders of answers (the
// household first in one, the municipality first in the other). Each case's waiting must follow
// from its own events, and the service report (JSON and CSV) must hold both cases' figures.

let sys: LocalSystem;
const ORG = `gemeente-rapport-${Date.now().toString(36)}`;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (iso: unknown) => Date.parse(String(iso));

/** The round stage's waiting as its events say it, computed here from the event log alone. */
function fromEvents(view: Loose) {
  const events = view.events as Loose[];
  const entered = events.find((e) => e.type === 'STAGE_ENTERED' && e.detail?.stageId === 'round');
  const done = (stepId: string) =>
    ms(events.find((e) => e.type === 'STEP_SUBMITTED' && e.stepId === stepId)?.at);
  const t0 = ms(entered.at);
  const citizen = done('present');
  const municipality = done('collect');
  const s = (x: number) => Math.floor(x / 1000);
  return {
    shared: s(Math.min(citizen, municipality) - t0),
    citizenOnProvider: citizen < municipality ? s(municipality - citizen) : 0,
    providerOnCitizen: municipality < citizen ? s(citizen - municipality) : 0,
  };
}

async function run(householdFirst: boolean, gapMs: number): Promise<{ caseId: string; linkToken: string }> {
  const c = await createCase(sys, 'waste-collection', staff);
  await stepOpen(sys, c.caseId, 'present', staff);
  await stepOpen(sys, c.caseId, 'collect', staff);
  const household = () => citizenWeb(sys, c.linkToken, 'present', answers('waste-collection', 'present'));
  const municipality = () =>
    provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'));
  const [first, second] = householdFirst ? [household, municipality] : [municipality, household];
  expect((await first()).status).toBeLessThan(400);
  await sleep(gapMs);
  expect((await second()).status).toBeLessThan(400);
  await stepOpen(sys, c.caseId, 'household-feedback', staff);
  await stepOpen(sys, c.caseId, 'municipality-feedback', staff);
  const last = answers('waste-collection', 'municipality-feedback');
  expect((await provider(sys, c.caseId, 'municipality-feedback', staff, last)).status).toBe(200);
  const feedback = answers('waste-collection', 'household-feedback', { satisfied: 'ja' });
  expect((await citizenWeb(sys, c.linkToken, 'household-feedback', feedback)).status).toBe(303);
  await caseStatus(sys, c.caseId, staff, 'COMPLETED');
  return c;
}

describe('who waits on whom, end to end', () => {
  it("gives each case's waiting from its events, and a report with both cases' figures, as JSON and CSV", async () => {
    const a = await run(true, 2500);
    const b = await run(false, 4500);
    const views = [await getCase(sys, a.caseId, staff), await getCase(sys, b.caseId, staff)];
    for (const view of views) {
      const round = (view.waiting.stages as Loose[]).find((s) => s.stageId === 'round');
      expect(round).toMatchObject({ ...fromEvents(view), complete: true });
      // Both stages ended: the case's totals are the sums of its stage visits.
      const sum = (key: string) => (view.waiting.stages as Loose[]).reduce((n, s) => n + s[key], 0);
      expect(view.waiting.citizenOnProvider).toBe(sum('citizenOnProvider'));
      expect(view.waiting.providerOnCitizen).toBe(sum('providerOnCitizen'));
    }
    const [roundA, roundB] = views.map((v) => fromEvents(v));
    expect(roundA?.citizenOnProvider).toBeGreaterThanOrEqual(2);
    expect(roundB?.providerOnCitizen).toBeGreaterThanOrEqual(4);

    // The citizen's JSON shows the same figures, and the page says them in words.
    const own = await sys.request('GET', `/c/${a.linkToken}`, { headers: { accept: 'application/json' } });
    expect(own.json.waiting).toEqual(views[0].waiting);
    const page = await sys.request('GET', `/c/${a.linkToken}`);
    expect(page.text).toMatch(/U wachtte minder dan een minuut op Gemeente Rapport/);

    const today = new Date().toISOString().slice(0, 10);
    const res = await sys.request('GET', `/services/waste-collection/report?from=${today}&to=${today}`, {
      token: staff,
    });
    expect(res.status).toBe(200);
    const round = (res.json.stages as Loose[]).find((s) => s.stageId === 'round');
    expect(round.citizen.visits).toBe(2);
    expect(round.provider.visits).toBe(2);
    // Of two values the median is the smaller, the 90th percentile the larger; the histogram places
    // each within its bucket, here (0, 60] seconds: interpolated, never beyond the bucket.
    const citizenWaits = [roundA?.citizenOnProvider, roundB?.citizenOnProvider] as number[];
    const providerWaits = [roundA?.providerOnCitizen, roundB?.providerOnCitizen] as number[];
    expect(Math.min(...citizenWaits)).toBe(0);
    expect(round.citizen.medianSeconds).toBe(0);
    expect(round.citizen.p90Seconds).toBeGreaterThan(0);
    expect(round.citizen.p90Seconds).toBeLessThanOrEqual(60);
    expect(round.citizen.meanSeconds).toBe(Math.round(citizenWaits.reduce((x, y) => x + y, 0) / 2));
    expect(round.provider.meanSeconds).toBe(Math.round(providerWaits.reduce((x, y) => x + y, 0) / 2));
    const feedback = (res.json.stages as Loose[]).find((s) => s.stageId === 'feedback');
    expect(feedback.citizen.feedback).toEqual({ yes: 2, no: 0 });
    expect(feedback.provider.visits).toBe(2);

    const csv = await sys.request('GET', `/services/waste-collection/report?from=${today}&to=${today}`, {
      token: staff,
      headers: { accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    const rows = csv.text
      .trimEnd()
      .split('\r\n')
      .map((line: string) => line.split(','));
    const header = rows[0] as string[];
    const row = rows.find((r: string[]) => r[0] === 'round' && r[2] === 'citizen') as string[];
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('visits')).toBe('2');
    expect(cell('median_seconds')).toBe(String(round.citizen.medianSeconds));
    expect(cell('p90_seconds')).toBe(String(round.citizen.p90Seconds));

    // Another kind of organisation may not see this service's report.
    const school = await sys.request('GET', `/services/waste-collection/report`, {
      token: sys.token(ORG, 'school'),
    });
    expect(school.status).toBe(403);
  });
});
