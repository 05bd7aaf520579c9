import { describe, expect, it } from 'vitest';
import { citizenWeb, createCase, getCase, ORG, openPage, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import type { LocalSystem, Loose } from './harness';
import { withLocalSystem } from './setup';

// Scoped delegation, end to end over HTTP: the citizen hands one step to a helper with a link of their
// own; the helper answers it (the case moves on), is refused elsewhere, sees no log, no export and no
// helpers; both partners see who answered; the citizen withdraws the link and it stops at once.

let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const asJson = { accept: 'application/json' };
const tokenOf = (link: unknown) => String(link).slice(String(link).lastIndexOf('/c/') + 3);

function addDelegate(linkToken: string, body: Record<string, unknown>) {
  return sys.request('POST', `/c/${linkToken}/delegates`, { json: body });
}

describe('a helper with a link of their own', () => {
  it('answers the step handed over, nothing else, and stops the moment the link is withdrawn', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);

    const added = await addDelegate(c.linkToken, { name: 'Anna de Vries', steps: ['present'] });
    expect(added.status, added.text).toBe(201);
    const { delegateId, link } = added.json;
    const helper = tokenOf(link);
    expect(helper).not.toBe(c.linkToken);
    expect(helper.length).toBeGreaterThanOrEqual(22);

    // The citizen sees the helper, by name, with the step and the expiry.
    const own = await sys.request('GET', `/c/${c.linkToken}`, { headers: asJson });
    expect(own.json.delegates).toEqual([
      expect.objectContaining({ delegateId, name: 'Anna de Vries', steps: ['present'] }),
    ]);

    // The helper's page: the same case, a form for their step only, and none of the citizen's own.
    const page = await sys.request('GET', `/c/${helper}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('U helpt iemand');
    expect(page.text).toContain(`action="/c/${helper}/steps/present`);
    expect(page.text).not.toContain('/export');
    expect(page.text).not.toContain('/delegates');
    expect(page.text).not.toContain('id="processing-log"');
    const seen = await sys.request('GET', `/c/${helper}`, { headers: asJson });
    expect(seen.json.processingLog).toEqual([]);
    expect(seen.json.delegates).toBeUndefined();

    // What only the citizen may do.
    for (const [method, path] of [
      ['POST', `/c/${helper}/delegates`],
      ['GET', `/c/${helper}/export`],
      ['POST', `/c/${helper}/reopen`],
      ['DELETE', `/c/${helper}/delegates/${delegateId}`],
    ] as const) {
      const body =
        method === 'POST'
          ? { json: path.endsWith('reopen') ? { reason: 'x' } : { name: 'B', steps: 'all' } }
          : {};
      const res = await sys.request(method, path, { headers: asJson, ...body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('DELEGATE_LINK');
    }

    // The helper answers the step: the case moves on to the collection.
    const answered = await sys.request('POST', `/c/${helper}/steps/present`, {
      json: { data: answers('waste-collection', 'present') },
    });
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json.step).toMatchObject({ status: 'DONE', delegateId });
    const moved = await stepOpen(sys, c.caseId, 'collect', staff);
    expect(step(moved, 'present').answeredBy).toEqual({ delegateId, name: 'Anna de Vries' });
    const submitted = (moved.events as Loose[]).find((e) => e.type === 'STEP_SUBMITTED');
    expect(submitted).toMatchObject({ actor: 'citizen', detail: { delegateId, delegate: 'Anna de Vries' } });

    // The citizen sees who answered, and the helper's use of the data in the processing log.
    const citizenPage = await openPage(sys, c.linkToken);
    expect(citizenPage.text).toContain('Ingevuld door Anna de Vries, namens u');
    const log = (await sys.request('GET', `/c/${c.linkToken}`, { headers: asJson })).json
      .processingLog as Loose[];
    expect(log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'read', delegate: { delegateId, name: 'Anna de Vries' } }),
        expect.objectContaining({ action: 'create', categories: ['answers'] }),
      ]),
    );

    // A step not handed over: refused, and the step stays open for the citizen.
    expect(
      (await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'))).status,
    ).toBe(200);
    await stepOpen(sys, c.caseId, 'household-feedback', staff);
    const refused = await sys.request('POST', `/c/${helper}/steps/household-feedback`, {
      json: { data: answers('waste-collection', 'household-feedback') },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('NOT_DELEGATED');

    // Withdrawn: refused at once, on every route; withdrawing again is a 409.
    const revoked = await sys.request('DELETE', `/c/${c.linkToken}/delegates/${delegateId}`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ delegateId, status: 'REVOKED' });
    const gone = await sys.request('GET', `/c/${helper}`, { headers: asJson });
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('LINK_REVOKED');
    const late = await sys.request('POST', `/c/${helper}/steps/household-feedback`, {
      json: { data: answers('waste-collection', 'household-feedback') },
    });
    expect(late.status).toBe(410);
    expect((await sys.request('GET', `/c/${helper}`)).status).toBe(410);
    expect((await sys.request('DELETE', `/c/${c.linkToken}/delegates/${delegateId}`)).status).toBe(409);
    const after = await sys.request('GET', `/c/${c.linkToken}`, { headers: asJson });
    expect(after.json.delegates).toEqual([]);
    const history = (await getCase(sys, c.caseId, staff)).events as Loose[];
    expect(history.map((e) => e.type)).toEqual(
      expect.arrayContaining(['DELEGATE_ADDED', 'DELEGATE_REVOKED']),
    );

    // The citizen still answers their own step.
    expect(
      (
        await citizenWeb(
          sys,
          c.linkToken,
          'household-feedback',
          answers('waste-collection', 'household-feedback'),
        )
      ).status,
    ).toBe(303);
  });

  it('refuses a bad scope, name or date with a 400, and more than five helpers at a time with a 409', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const bad = [
      { name: 'Bob', steps: ['collect'] },
      { name: 'Bob', steps: ['no-such-step'] },
      { name: 'Bob', steps: [] },
      { name: '', steps: 'all' },
      { name: 'Bob\u202Eevil', steps: 'all' },
      { name: 'Bob', steps: 'all', expiresAt: '2020-01-01' },
      { name: 'Bob', steps: 'all', expiresAt: '2999-01-01' },
      { name: 'Bob', steps: 'all', extra: true },
    ];
    for (const body of bad) {
      const res = await addDelegate(c.linkToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((i) => addDelegate(c.linkToken, { name: `Helper ${i}`, steps: 'all' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of results.filter((r) => r.status !== 201)) expect(r.status).toBe(409);
    const own = await sys.request('GET', `/c/${c.linkToken}`, { headers: asJson });
    expect(own.json.delegates).toHaveLength(5);
    const wrong = await sys.request('DELETE', `/c/${c.linkToken}/delegates/nosuchdelegate`);
    expect(wrong.status).toBe(404);
  });

  it('works without JavaScript: the form adds a helper and shows the link once; a button withdraws it', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const page = await openPage(sys, c.linkToken);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(page.text).toContain(`action="/c/${c.linkToken}/delegates?lang=nl"`);
    const made = await sys.request('POST', `/c/${c.linkToken}/delegates?lang=nl`, {
      form: { _csrf: csrf, name: 'Buurvrouw Els', 'step:present': 'yes', expiresAt: '' },
    });
    expect(made.status, made.text).toBe(201);
    expect(made.text).toContain('Link voor Buurvrouw Els gemaakt');
    const link = /id="delegate-link" type="text" readonly value="([^"]+)"/.exec(made.text)?.[1] ?? '';
    expect((await sys.request('GET', `/c/${tokenOf(link)}`)).status).toBe(200);
    const withdraw = /action="([^"]+\/revoke[^"]*)"/.exec(made.text)?.[1] ?? '';
    const res = await sys.request('POST', withdraw.replace(/&amp;/g, '&'), { form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect((await sys.request('GET', `/c/${tokenOf(link)}`)).status).toBe(410);
    // A form from elsewhere (no CSRF value) changes nothing.
    const forged = await sys.request('POST', `/c/${c.linkToken}/delegates`, {
      form: { name: 'Mallory', all: 'yes' },
    });
    expect(forged.status).toBe(403);
  });
});
