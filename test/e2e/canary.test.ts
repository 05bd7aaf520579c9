import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Canaries, scan } from './canaries';
import { caseStatus, citizenWeb, getCase, ok, provider, step, stepOpen } from './cases';
import { answers, loadCatalogue } from './forms';
import { eventually, type LocalSystem, type Loose, prepareAssembly, LocalSystem as System } from './harness';
import { runRound, tempFile } from './rounds';

// Personal data is encrypted or absent everywhere outside the functions' memory. Unique canaries go
// into every free-text answer, name, phone number, e-mail address, reference, context field (an
// address, a child's name, a care need), CSV column, SMS note and staff reason; cases and a round run
// to their end over HTTP; then every file in DATA_DIR (the table, the engine's journal and snapshots,
// the object store, the outbox, the secrets) and everything the runtime printed (function logs at
// INFO included) are searched. The organisation id is stored in clear on purpose: finding it in the
// table's values shows that the scan reads them.

const canaries = new Canaries();
const SUFFIX = Math.random().toString(36).slice(2, 8);
const CARE_ORG = `zorg-canary-${SUFFIX}`;
const TOWN = `gemeente-canary-${SUFFIX}`;
const SCHOOL = `school-canary-${SUFFIX}`;
let sys: LocalSystem;

beforeAll(async () => {
  await prepareAssembly();
  // Every function log line is printed, and the runtime's REPORT lines too.
  sys = await System.start({ env: { POWERTOOLS_LOG_LEVEL: 'INFO', LOG_LEVEL: 'debug' } });
  await loadCatalogue(sys);
}, 300_000);

afterAll(async () => {
  await sys?.dispose();
});

async function startCase(
  token: string,
  serviceId: string,
  label: string,
  context: Record<string, string>,
): Promise<{ caseId: string; linkToken: string; phone: string }> {
  const phone = canaries.phone(`${label} phone`);
  const res = await sys.request('POST', '/cases', {
    token,
    json: {
      serviceId,
      citizen: {
        name: canaries.text(`${label} name`),
        phone,
        email: canaries.email(`${label} e-mail`),
        locale: 'nl',
      },
      reference: canaries.text(`${label} reference`),
      context,
    },
  });
  expect(res.status, res.text).toBe(201);
  const link = String(res.json.citizenLink);
  return { caseId: String(res.json.caseId), linkToken: link.slice(link.lastIndexOf('/c/') + 3), phone };
}

/** Every free-text field of the step gets its own canary; the rest gets valid answers. */
function filled(serviceId: string, stepId: string, textFields: string[], extra: Record<string, string> = {}) {
  const texts = Object.fromEntries(
    textFields.map((id) => [id, canaries.text(`${serviceId}/${stepId}.${id}`)]),
  );
  return answers(serviceId, stepId, { ...texts, ...extra });
}

async function citizenStep(
  c: { caseId: string; linkToken: string },
  token: string,
  stepId: string,
  values: Record<string, string>,
) {
  await stepOpen(sys, c.caseId, stepId, token);
  const res = await citizenWeb(sys, c.linkToken, stepId, values);
  expect(ok(res.status), `${stepId}: ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
}

async function staffStep(caseId: string, token: string, stepId: string, values: Record<string, string>) {
  await stepOpen(sys, caseId, stepId, token);
  const res = await provider(sys, caseId, stepId, token, values);
  expect(res.status, `${stepId}: ${res.text}`).toBe(200);
}

/**
 * An SMS reply with a canary note after the answer: through the signed webhook (Twilio) or through
 * End User Messaging's two-way path (the inbound SNS topic and its Lambda, `/local/sms`).
 */
async function smsAnswer(phone: string, word: string, label: string, path: 'twilio' | 'aws' = 'twilio') {
  const note = canaries.text(label);
  const from = `+31${phone.slice(1)}`;
  const res =
    path === 'twilio'
      ? await sys.sms(from, `${word} ${note}`)
      : await sys.request('POST', '/local/sms', { json: { from, body: `${word} ${note}` } });
  expect(res.status, res.text).toBe(200);
}

describe('no personal data in clear outside the functions', () => {
  it('finds no canary in DATA_DIR or the runtime output after cases and a round ran to the end', async () => {
    // A care plan with every step, a rejection by SMS (back to the assessment) and the second loop.
    const care = sys.token(CARE_ORG, 'care-provider');
    const plan = await startCase(care, 'care-plan', 'care-plan', {
      careNeed: canaries.text('care-plan context careNeed'),
    });
    const own = () => filled('care-plan', 'own-possibilities', ['ownAbilities', 'network', 'helpNeeded']);
    const assess = () => filled('care-plan', 'provider-assessment', ['assessment']);
    const propose = () =>
      filled('care-plan', 'propose-plan', ['plan', 'patientPart', 'providerPart', 'contact']);
    await citizenStep(plan, care, 'own-possibilities', own());
    await staffStep(plan.caseId, care, 'provider-assessment', assess());
    await staffStep(plan.caseId, care, 'propose-plan', propose());
    const review = step(await stepOpen(sys, plan.caseId, 'accept-plan', care), 'accept-plan');
    // A proposed due date with a canary reason, accepted with a canary note: the wait is re-timed.
    const later = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(
      new Date(Date.parse(review.dueAt) + 2 * 86_400_000),
    );
    const asked = await sys.request('POST', `/c/${plan.linkToken}/steps/accept-plan/proposals`, {
      json: { dueAt: later, reason: canaries.text('care-plan proposal reason') },
    });
    expect(asked.status, asked.text).toBe(201);
    const agreed = await sys.request('POST', `/cases/${plan.caseId}/proposals/${asked.json.proposalId}`, {
      token: care,
      json: { accept: true, note: canaries.text('care-plan proposal note') },
    });
    expect(agreed.status, agreed.text).toBe(200);
    await smsAnswer(plan.phone, 'NEE', 'care-plan sms note (rejection)', 'aws');
    const back = await eventually(async () => {
      const view = await getCase(sys, plan.caseId, care);
      return view.stage === 'assessment' && step(view, 'own-possibilities').status === 'OPEN'
        ? view
        : undefined;
    }, 'back in the assessment');
    expect(back.status).toBe('ACTIVE');
    await citizenStep(plan, care, 'own-possibilities', own());
    await staffStep(plan.caseId, care, 'provider-assessment', assess());
    await staffStep(plan.caseId, care, 'propose-plan', propose());
    await citizenStep(
      plan,
      care,
      'accept-plan',
      filled('care-plan', 'accept-plan', ['note'], { agrees: 'ja' }),
    );
    // A helper of the patient (delegation/), named by a canary, answers the evaluation with their link.
    const helper = await sys.request('POST', `/c/${plan.linkToken}/delegates`, {
      json: { name: canaries.text('care-plan helper name'), steps: ['patient-evaluation'] },
    });
    expect(helper.status, helper.text).toBe(201);
    const helperToken = String(helper.json.link).slice(String(helper.json.link).lastIndexOf('/c/') + 3);
    await stepOpen(sys, plan.caseId, 'patient-evaluation', care);
    expect((await sys.request('GET', `/c/${helperToken}`)).status).toBe(200);
    const evaluation = filled('care-plan', 'patient-evaluation', ['note']);
    const byHelper = await sys.request('POST', `/c/${helperToken}/steps/patient-evaluation`, {
      json: { data: evaluation },
    });
    expect(byHelper.status, byHelper.text).toBe(200);
    await staffStep(
      plan.caseId,
      care,
      'provider-evaluation',
      filled('care-plan', 'provider-evaluation', ['evaluation']),
    );
    await stepOpen(sys, plan.caseId, 'patient-feedback', care);
    await smsAnswer(plan.phone, 'JA', 'care-plan sms note (feedback)');
    await staffStep(
      plan.caseId,
      care,
      'provider-feedback',
      filled('care-plan', 'provider-feedback', ['note']),
    );
    const done = await caseStatus(sys, plan.caseId, care, 'COMPLETED');
    // The answers are kept (encrypted): the case still shows them to its partners.
    expect(step(done, 'patient-feedback').data.note).toBe(
      canaries.planted.find((c) => c.where === 'care-plan sms note (feedback)')?.value,
    );
    expect(done.citizen.name).toBe(canaries.planted.find((c) => c.where === 'care-plan name')?.value);
    expect(done.reference).toBe(canaries.planted.find((c) => c.where === 'care-plan reference')?.value);

    // A child's development case, stopped by the school with a reason that names the child.
    const school = sys.token(SCHOOL, 'school');
    const child = await startCase(school, 'child-development', 'child-development', {
      childName: canaries.text('child-development context childName'),
      group: canaries.text('child-development context group'),
    });
    const observations = filled('child-development', 'parent-observations', [
      'strengths',
      'concerns',
      'contribution',
    ]);
    await citizenStep(child, school, 'parent-observations', observations);
    const cancelled = await sys.request('POST', `/cases/${child.caseId}/cancel`, {
      token: school,
      json: { reason: canaries.text('child-development cancel reason') },
    });
    expect(cancelled.status, cancelled.text).toBe(200);

    // A waste round: a canary in every column that can hold one, then one of its cases to the end.
    const town = sys.token(TOWN);
    const rows = [0, 1, 2].map((i) => ({
      reference: canaries.text(`round row ${i + 2} reference`),
      name: canaries.text(`round row ${i + 2} name`),
      phone: canaries.phone(`round row ${i + 2} phone`),
      email: canaries.email(`round row ${i + 2} e-mail`),
      address: `${canaries.text(`round row ${i + 2} address`)} 1 Utrecht`,
    }));
    const file = tempFile('canary.csv');
    writeFileSync(
      file,
      [
        'reference,name,phone,email,locale,address,collectionDate',
        ...rows.map((r) => `${r.reference},${r.name},${r.phone},${r.email},nl,${r.address},2030-01-15`),
      ].join('\n'),
    );
    const round = await runRound(sys, town, file, {
      serviceId: 'waste-collection',
      name: `canary-${SUFFIX}`,
    });
    expect(round, JSON.stringify(round.errors)).toMatchObject({
      status: 'STARTED',
      started: 3,
      failed: 0,
      invalid: 0,
    });
    const listed = await sys.request('GET', '/cases?serviceId=waste-collection&limit=100', { token: town });
    const first = (listed.json.items as Loose[]).find((c) => c.reference === rows[0]?.reference);
    expect(first, 'the round case is listed under its reference').toBeDefined();
    const household = { caseId: String(first.caseId), phone: rows[0]?.phone ?? '' };
    await stepOpen(sys, household.caseId, 'present', town);
    await smsAnswer(household.phone, 'JA', 'round sms note');
    await staffStep(household.caseId, town, 'collect', filled('waste-collection', 'collect', ['note']));
    await stepOpen(sys, household.caseId, 'household-feedback', town);
    await smsAnswer(household.phone, 'JA', 'round feedback sms note', 'aws');
    await staffStep(
      household.caseId,
      town,
      'municipality-feedback',
      filled('waste-collection', 'municipality-feedback', ['note']),
    );
    await caseStatus(sys, household.caseId, town, 'COMPLETED');

    // A refused round: its upload (every row in clear) must not stay, nor may a reason echo a value.
    const refusedFile = tempFile('canary-refused.csv');
    writeFileSync(
      refusedFile,
      [
        'reference,name,phone,email,locale,address,collectionDate',
        `${canaries.text('refused row 2 reference')},${canaries.text('refused row 2 name')},${canaries.phone('refused row 2 phone')},,nl,${canaries.text('refused row 2 address')} 2 Utrecht,2030-01-15`,
        `${canaries.text('refused row 3 reference')},Jan,${canaries.text('refused row 3 bad phone')},,nl,Straat 3 Utrecht,2030-01-15`,
      ].join('\n'),
    );
    const refused = await runRound(sys, town, refusedFile, {
      serviceId: 'waste-collection',
      name: `canary-refused-${SUFFIX}`,
    });
    expect(refused).toMatchObject({ status: 'REJECTED', started: 0, invalid: 1 });

    // SIGINT: the runtime flushes its journal and closes the table before the files are read.
    expect(await sys.stop()).toBe(0);
    const findings = await scan(sys.dataDir, sys.output, [
      ...canaries.planted,
      { where: 'control: organisation id', needle: CARE_ORG },
    ]);
    const control = findings.filter((f) => f.where.startsWith('control'));
    expect(control.map((f) => f.found)).toContain('dynamodb (LevelDB)');
    const leaks = findings.filter((f) => !f.where.startsWith('control'));
    expect(leaks).toEqual([]);
  }, 600_000);
});
