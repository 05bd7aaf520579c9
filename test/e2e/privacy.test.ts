import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canaries, scan } from './canaries';
import { citizenWeb, getCase, ok, stepOpen } from './cases';
import { answers, loadCatalogue } from './forms';
import { type LocalSystem, prepareAssembly, LocalSystem as System } from './harness';

// The citizen's side of the processing log, the export and the erasure, through the running system:
// a caseworker opens a case and the citizen's JSON view and page say so (organisation, purpose, no
// staff); the citizen downloads everything; staff erase the case with a reason and afterwards no route
// (staff API, case list, citizen page, JSON view, export) gives back any of its personal data.

const canaries = new Canaries();
const SUFFIX = Math.random().toString(36).slice(2, 8);
const TOWN = `gemeente-privacy-${SUFFIX}`;
let sys: LocalSystem;

beforeAll(async () => {
  await prepareAssembly();
  // Every function log line is printed, so the scan of the output covers them.
  sys = await System.start({ env: { POWERTOOLS_LOG_LEVEL: 'INFO', LOG_LEVEL: 'debug' } });
  await loadCatalogue(sys);
}, 300_000);

afterAll(async () => {
  await sys?.dispose();
});

const citizenJson = (linkToken: string) =>
  sys.request('GET', `/c/${linkToken}`, { headers: { accept: 'application/json' } });

describe('processing log, export and erasure', () => {
  it('shows the citizen who opened their case, exports it, and leaves nothing personal after erasure', async () => {
    const town = sys.token(TOWN);
    const created = await sys.request('POST', '/cases', {
      token: town,
      json: {
        serviceId: 'waste-collection',
        citizen: {
          name: canaries.text('name'),
          phone: canaries.phone('phone'),
          email: canaries.email('e-mail'),
          locale: 'nl',
        },
        reference: canaries.text('reference'),
        context: { address: `${canaries.text('address')} 1, Utrecht`, collectionDate: '2030-01-15' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const caseId = String(created.json.caseId);
    const link = String(created.json.citizenLink);
    const linkToken = link.slice(link.lastIndexOf('/c/') + 3);
    const [name, , , reference, address] = canaries.planted.map((c) => c.value);

    // The citizen answers a step with a free text of their own.
    await stepOpen(sys, caseId, 'present', town);
    const note = canaries.text('answer');
    const answered = await citizenWeb(
      sys,
      linkToken,
      'present',
      answers('waste-collection', 'present', { note }),
    );
    expect(ok(answered.status), answered.text.slice(0, 300)).toBe(true);

    // Each time a caseworker opens the case (the polls above did too), the citizen's log says so.
    const reads = (log: { action: string }[]) => log.filter((r) => r.action === 'read').length;
    const before = await citizenJson(linkToken);
    expect(before.status).toBe(200);
    expect((before.json.processingLog as { action: string }[])[0]?.action).toBe('create');
    const opened = await getCase(sys, caseId, town);
    expect(opened.citizen.name).toBe(name);
    expect(opened.reference).toBe(reference);
    const after = await citizenJson(linkToken);
    const log = after.json.processingLog as Record<string, unknown>[];
    expect(reads(log as { action: string }[])).toBe(reads(before.json.processingLog) + 1);
    const read = log.find((r) => r.action === 'read');
    expect(Object.keys(read ?? {}).sort()).toEqual(['action', 'at', 'categories', 'organisation', 'purpose']);
    expect(read).toMatchObject({
      organisation: expect.any(String),
      purpose: { nl: expect.any(String), en: expect.any(String) },
      categories: expect.arrayContaining(['contact']),
    });
    expect(after.text).not.toContain(`staff-${TOWN}`);
    // Staff read the whole log through the API, newest first, with who; reading it is not itself logged.
    const staffLog = await sys.request('GET', `/cases/${caseId}/processing`, { token: town });
    expect(staffLog.status, staffLog.text).toBe(200);
    const lines = staffLog.json.items as { action: string; by: string }[];
    expect(lines.at(-1)?.action).toBe('create');
    expect(lines.filter((line) => line.action === 'read').length).toBe(reads(log as { action: string }[]));
    expect(lines.every((line) => line.by === `staff-${TOWN}`)).toBe(true);
    expect(
      (await sys.request('GET', `/cases/${caseId}/processing`, { token: town })).json.items,
    ).toHaveLength(lines.length);
    // A system that polls where the case stands gets statuses and dates: nothing personal, and no line.
    const status = await sys.request('GET', `/cases/${caseId}?view=status`, { token: town });
    expect(status.status, status.text).toBe(200);
    expect(status.json).toMatchObject({ caseId, serviceId: 'waste-collection', status: 'ACTIVE' });
    const present = (status.json.steps as { stepId: string; status: string }[]).find(
      (step) => step.stepId === 'present',
    );
    expect(present?.status).toBe('DONE');
    for (const canary of [...canaries.planted.map((c) => c.needle), note])
      expect(status.text).not.toContain(canary);
    expect(
      (await sys.request('GET', `/cases/${caseId}/processing`, { token: town })).json.items,
    ).toHaveLength(lines.length);
    const page = await sys.request('GET', `/c/${linkToken}`);
    expect(page.text).toContain('Wie uw gegevens heeft gebruikt');
    expect(page.text).toContain(`href="/c/${linkToken}/export"`);
    expect(page.text).not.toContain(`staff-${TOWN}`);

    // The citizen's export holds everything: their contact data in full, the reference, the answer.
    const exported = await sys.request('GET', `/c/${linkToken}/export`);
    expect(exported.status, exported.text).toBe(200);
    for (const value of [name, reference, address, note]) expect(exported.text).toContain(value);
    expect(exported.text).toContain(canaries.planted[1]?.needle);
    expect(exported.json.processingLog.length).toBeGreaterThanOrEqual(2);

    // Erasure needs a reason; without one nothing changes.
    const refused = await sys.request('POST', `/cases/${caseId}/erase`, { token: town, json: {} });
    expect(refused.status, refused.text).toBe(400);
    expect((await getCase(sys, caseId, town)).citizen.name).toBe(name);
    const other = await sys.request('POST', `/cases/${caseId}/erase`, {
      token: sys.token(`gemeente-other-${SUFFIX}`),
      json: { reason: 'not ours' },
    });
    expect(other.status).toBe(404);

    // The reason may name the citizen: it is kept (sealed with the stack's key), never in clear on disk.
    const reason = `Verzoek van ${canaries.text('erasure reason')} (AVG art. 17)`;
    const erased = await sys.request('POST', `/cases/${caseId}/erase`, { token: town, json: { reason } });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.json.erased).toMatchObject({ at: expect.any(String) });

    // Nothing personal can be read back through any route.
    const staffView = await sys.request('GET', `/cases/${caseId}`, { token: town });
    expect(staffView.status).toBe(200);
    expect(staffView.json.erased).toBeDefined();
    const listed = await sys.request('GET', '/cases?serviceId=waste-collection&limit=100', { token: town });
    const citizenView = await citizenJson(linkToken);
    expect(citizenView.json.erased).toBeDefined();
    const citizenPage = await sys.request('GET', `/c/${linkToken}`);
    expect(citizenPage.text).toContain('Gegevens verwijderd');
    const exportAfter = await sys.request('GET', `/c/${linkToken}/export`);
    expect(exportAfter.status).toBe(200);
    const readBack = [staffView, listed, citizenView, citizenPage, exportAfter].map((r) => r.text).join('\n');
    const found = canaries.planted
      .filter((c) => c.where !== 'erasure reason' && readBack.includes(c.needle))
      .map((c) => c.where);
    expect(found).toEqual([]);
    // The erasure is itself in the log the citizen sees; a new answer is refused.
    expect((citizenView.json.processingLog as { action: string }[]).map((r) => r.action)).toContain('erase');
    const again = await sys.request('POST', `/cases/${caseId}/erase`, {
      token: town,
      json: { reason: 'nog eens' },
    });
    expect(again.status).toBe(200);

    // And on disk: no value of the case in clear anywhere the runtime wrote.
    expect(await sys.stop()).toBe(0);
    expect(await scan(sys.dataDir, sys.output, canaries.planted)).toEqual([]);
  }, 300_000);
});
