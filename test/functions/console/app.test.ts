import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import { csrfToken, openLogin, openSession, readCookie } from '../../../functions/console/session';
import { CANCEL_CAUSE } from '../../../functions/domain/case-cancel';
import { caseCipher } from '../../../functions/domain/case-keys';
import {
  type AppError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../../functions/shared/errors';
import { makeDeps, NOW, nowSec, request, session } from './support';

function setup() {
  const t = makeDeps();
  const csrf = csrfToken(t.vault, session());
  const post = (rel: string, body: Record<string, unknown>, over = {}) =>
    consoleApp(t.deps, request(t.deps, { method: 'POST', rel, body, ...over }));
  const get = (rel: string, over = {}) => consoleApp(t.deps, request(t.deps, { rel, ...over }));
  const startCase = async (key = 'key-0123456789abcdef') => {
    const res = await post('/services/waste-collection/cases', {
      _csrf: csrf,
      idempotencyKey: key,
      name: 'Piet',
      phone: '0612345678',
      locale: 'nl',
      address: 'Dorpsstraat 1, Utrecht',
      collectionDate: '2026-03-10',
    });
    const caseId = /\/console\/cases\/([0-9a-f]+)\?notice=created$/.exec(res.headers.location ?? '')?.[1];
    return { res, caseId: caseId as string };
  };
  const openProviderStep = (caseId: string) =>
    t.repo.putStep({
      caseId,
      stepId: 'collect',
      actor: 'provider',
      status: 'OPEN',
      visit: 1,
      openedAt: NOW,
      dueAt: '2026-03-04T09:00:00.000Z',
      expiresAt: '2026-03-09T09:00:00.000Z',
      taskToken: 'tok-collect',
      reminders: 0,
      escalated: false,
    });
  return { ...t, csrf, post, get, startCase, openProviderStep };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: AppError) => e,
  );

/** The sign-in from /console/login (with `next`) through the identity provider to the callback's answer. */
async function signIn(
  { deps, vault, idp }: Pick<ReturnType<typeof setup>, 'deps' | 'vault' | 'idp'>,
  next?: string,
) {
  const login = await consoleApp(
    deps,
    request(deps, { rel: '/login', session: null, ...(next !== undefined && { query: { next } }) }),
  );
  const authorize = new URL(login.headers.location as string);
  const loginCookie = login.cookies?.[0] as string;
  const pending = openLogin(vault, readCookie([loginCookie], 'cp_login'), Date.parse(NOW) / 1000);
  idp.nextIdToken = idp.token(idp.claims({ nonce: authorize.searchParams.get('nonce') }));
  const state = authorize.searchParams.get('state') as string;
  const back = await consoleApp(
    deps,
    request(deps, { rel: '/callback', query: { code: 'c1', state }, cookies: [loginCookie], session: null }),
  );
  return { authorize, loginCookie, pending, back };
}

describe('console sign-in', () => {
  it('sends a browser without a valid session to the sign-in, also with a tampered cookie', async () => {
    const { deps, get } = setup();
    expect((await get('', { session: null })).headers.location).toBe('/console/login');
    const tampered = request(deps).cookies?.[0]?.replace(
      /\.(.)/,
      (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`,
    );
    const res = await consoleApp(deps, request(deps, { rel: '/cases/x', cookies: [tampered as string] }));
    expect(res.statusCode).toBe(302);
    // The sign-in comes back to the page asked for (return-path.ts).
    expect(res.headers.location).toBe('/console/login?next=%2Fcases%2Fx');
  });

  it('signs out for good: the session ends on the server, then at the user pool; the old cookie opens nothing', async () => {
    const { deps, sessions, startCase, repo } = setup();
    const { caseId } = await startCase();
    const cookie = request(deps).cookies as string[];
    const csrf = csrfToken(deps.vault, session());
    expect(sessions.items.size).toBe(1);
    const out = await consoleApp(
      deps,
      request(deps, { method: 'POST', rel: '/logout', body: { _csrf: csrf } }),
    );
    expect(out.statusCode).toBe(303);
    const cognito = new URL(out.headers.location as string);
    expect(`${cognito.origin}${cognito.pathname}`).toBe('https://login.example.nl/logout');
    expect(Object.fromEntries(cognito.searchParams)).toEqual({
      client_id: 'client-1',
      logout_uri: 'https://api.example.nl/console/signed-out',
    });
    expect(out.cookies).toEqual([expect.stringMatching(/^cp_session=; Path=\/console; Max-Age=0;/)]);
    expect(sessions.items.size).toBe(0);
    // The same cookie and its CSRF token, sent again: sign in first, nothing done.
    const old = (over: object) =>
      consoleApp(deps, { ...request(deps, { signedIn: false, ...over }), cookies: cookie });
    expect((await old({ rel: `/cases/${caseId}` })).headers.location).toBe(
      `/console/login?next=${encodeURIComponent(`/cases/${caseId}`)}`,
    );
    const cancel = await old({
      method: 'POST',
      rel: `/cases/${caseId}/cancel`,
      body: { _csrf: csrf, reason: 'x' },
    });
    // A form sent with the ended session comes back to its case, which says it was not saved.
    expect(cancel.headers.location).toBe(
      `/console/login?next=${encodeURIComponent(`/cases/${caseId}?notice=expired`)}`,
    );
    expect(repo.cases.get(caseId)?.status).toBe('ACTIVE');
    const again = await old({ method: 'POST', rel: '/logout', body: { _csrf: csrf } });
    expect(again.headers.location).toBe('/console/login');
    // Where the user pool sends the browser back to: a page of its own, without a session.
    const back = await consoleApp(deps, request(deps, { rel: '/signed-out', session: null, locale: 'en' }));
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('You are signed out.');
  });

  it('refuses a cookie whose session the server no longer holds, or holds for another organisation', async () => {
    const { deps, sessions, vault } = setup();
    expect((await consoleApp(deps, request(deps, { signedIn: false }))).headers.location).toBe(
      '/console/login',
    );
    // The server's record wins over the cookie: a session moved to another organisation is not this one.
    request(deps);
    const [key] = [...sessions.items.keys()];
    sessions.items.set(key as string, {
      sub: 'staff-1',
      org: 'gm0999',
      orgKind: 'municipality',
      exp: session().exp,
    });
    expect((await consoleApp(deps, { ...request(deps, { signedIn: false }) })).headers.location).toBe(
      '/console/login',
    );
    // Ended on the server (its TTL may still be on its way): refused too.
    sessions.keep(vault, session());
    const [same] = [...sessions.items.keys()];
    sessions.items.set(same as string, {
      sub: 'staff-1',
      org: 'gm0363',
      orgKind: 'municipality',
      exp: nowSec - 1,
    });
    expect((await consoleApp(deps, request(deps, { signedIn: false }))).headers.location).toBe(
      '/console/login',
    );
  });

  it('runs the code flow: PKCE redirect, code exchange, verified ID token, session cookie', async () => {
    const { deps, vault, idp } = setup();
    const { authorize, loginCookie, pending, back } = await signIn({ deps, vault, idp });
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(loginCookie).toMatch(/^cp_login=.*; Path=\/console; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    expect(authorize.searchParams.get('state')).toBe(pending?.state);
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/console');
    expect(idp.tokenRequests[0]?.get('code_verifier')).toBe(pending?.verifier);
    const sessionCookie = back.cookies?.find((c) => c.startsWith('cp_session=')) as string;
    const opened = openSession(vault, readCookie([sessionCookie], 'cp_session'), Date.parse(NOW) / 1000);
    expect(opened).toMatchObject({ sub: 'staff-1', org: 'gm0363', orgKind: 'municipality' });
    // The server holds the session, keyed by a hash: no item gives a cookie (nor its id) away.
    const { sessions } = deps as unknown as { sessions: { items: Map<string, unknown> } };
    expect([...sessions.items.values()]).toEqual([
      { sub: 'staff-1', org: 'gm0363', orgKind: 'municipality', exp: opened?.exp },
    ]);
    expect(JSON.stringify([...sessions.items])).not.toContain(opened?.sid);
    const home = await consoleApp(deps, request(deps, { session: null, cookies: [sessionCookie] }));
    expect(home.statusCode).toBe(200);
  });

  it('signs in back to where the session ended: the page, or the case of a form that was not saved', async () => {
    const { deps, vault, idp, startCase } = setup();
    const { caseId } = await startCase();
    const signInTo = (next?: string) => signIn({ deps, vault, idp }, next);
    const page = await signInTo(`/cases/${caseId}?notice=expired`);
    expect(page.pending?.next).toBe(`/cases/${caseId}?notice=expired`);
    expect(page.back.headers.location).toBe(`/console/cases/${caseId}?notice=expired`);
    const sessionCookie = page.back.cookies?.find((c) => c.startsWith('cp_session=')) as string;
    const shown = await consoleApp(deps, {
      ...request(deps, { rel: `/cases/${caseId}`, query: { notice: 'expired' }, session: null }),
      cookies: [sessionCookie],
    });
    expect(shown.body).toContain('Wat u toen verstuurde is niet opgeslagen');
    // Nowhere outside the console, whatever the link says.
    for (const next of ['//evil.example/x', 'https://evil.example', '/cases/../../x', '/\\evil.example'])
      expect((await signInTo(next)).back.headers.location, next).toBe('/console');
    expect((await signInTo()).back.headers.location).toBe('/console');
  });

  it('starts over on a foreign state and refuses an ID token of another sign-in', async () => {
    const { deps, idp } = setup();
    const login = await consoleApp(deps, request(deps, { rel: '/login', session: null }));
    const cookies = login.cookies as string[];
    const state = new URL(login.headers.location as string).searchParams.get('state') as string;
    const foreign = await consoleApp(
      deps,
      request(deps, { rel: '/callback', query: { code: 'c', state: 'other' }, cookies, session: null }),
    );
    expect(foreign.headers.location).toMatch(/^https:\/\/login\.example\.nl\/oauth2\/authorize\?/);
    expect(idp.tokenRequests).toHaveLength(0);
    idp.nextIdToken = idp.token(idp.claims({ nonce: 'replayed' }));
    const error = await failure(
      consoleApp(
        deps,
        request(deps, { rel: '/callback', query: { code: 'c', state }, cookies, session: null }),
      ),
    );
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });
});

describe('console pages and actions', () => {
  it("shows only services of the staff's kind; another kind's service is a 404", async () => {
    const { get } = setup();
    const home = await get('');
    expect(home.body).toContain('/console/services/waste-collection');
    expect(home.body).not.toContain('/console/services/child-development');
    expect(await failure(get('/services/child-development'))).toBeInstanceOf(NotFoundError);
  });

  it('starts a case for the staff organisation, once per form, and shows the citizen link', async () => {
    const { startCase, repo, engine, get, deps } = setup();
    const { res, caseId } = await startCase();
    expect(res.statusCode).toBe(303);
    expect(repo.cases.get(caseId)).toMatchObject({ org: 'gm0363', serviceId: 'waste-collection' });
    expect(engine.started).toHaveLength(1);
    expect((await startCase()).caseId).toBe(caseId);
    expect(repo.cases.size).toBe(1);
    const page = await get(`/cases/${caseId}`, { query: { notice: 'created' } });
    expect(page.body).toContain(`https://api.example.nl/c/${deps.vault.linkToken(caseId)}`);
    expect(page.body).toContain('role="status"');
  });

  it("asks for the service's context and keeps it encrypted on the case", async () => {
    const { post, csrf, repo, deps, get } = setup();
    const form = await get('/services/waste-collection/new');
    expect(form.body).toContain('<legend>Gegevens voor deze dienst</legend>');
    expect(form.body).toContain('id="f-context-address" name="address"');
    expect(form.body).toContain('type="date"');
    const base = { _csrf: csrf, idempotencyKey: 'key-context-0000000001', phone: '0612345678' };
    const bad = await post('/services/waste-collection/cases', { ...base, address: 'Dorpsstraat 1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#f-context-collectionDate">Ophaaldag: ');
    expect(bad.body).toContain('value="Dorpsstraat 1"');
    expect(repo.cases.size).toBe(0);
    const ok = await post('/services/waste-collection/cases', {
      ...base,
      address: 'Dorpsstraat 1',
      collectionDate: '2026-03-10',
    });
    expect(ok.statusCode).toBe(303);
    const stored = [...repo.cases.values()][0];
    if (!stored) throw new Error('no case');
    expect(caseCipher(deps.vault, stored).openJson(stored.contextEnc)).toEqual({
      address: 'Dorpsstraat 1',
      collectionDate: '2026-03-10',
    });
    // The start is in the case's processing log, under the signed-in staff member.
    expect(repo.processing.map((r) => [r.action, r.by, r.categories])).toEqual([
      ['create', 'staff-1', ['contact', 'context']],
    ]);
  });

  it("answers 404 for another organisation's case, on the page and on its forms", async () => {
    const { startCase, deps, openProviderStep, repo } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    const other = session({ org: 'gm0999', sid: 'sid-other-org-123456' });
    const csrf = csrfToken(deps.vault, other);
    const as = (over: object) => consoleApp(deps, request(deps, { session: other, ...over }));
    expect(await failure(as({ rel: `/cases/${caseId}` }))).toBeInstanceOf(NotFoundError);
    const post = as({
      method: 'POST',
      rel: `/cases/${caseId}/steps/collect`,
      body: { _csrf: csrf, collected: 'yes' },
    });
    expect(await failure(post)).toBeInstanceOf(NotFoundError);
    const cancel = as({ method: 'POST', rel: `/cases/${caseId}/cancel`, body: { _csrf: csrf, reason: 'x' } });
    expect(await failure(cancel)).toBeInstanceOf(NotFoundError);
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('OPEN');
    expect(repo.cases.get(caseId)?.status).toBe('ACTIVE');
  });

  it("answers 404 for a case of the staff's organisation id under another kind (one access rule)", async () => {
    const { startCase, deps, openProviderStep, repo } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    const school = session({ orgKind: 'school', sid: 'sid-other-kind-123456' });
    const csrf = csrfToken(deps.vault, school);
    const as = (over: object) => consoleApp(deps, request(deps, { session: school, ...over }));
    expect(await failure(as({ rel: `/cases/${caseId}` }))).toBeInstanceOf(NotFoundError);
    const post = as({
      method: 'POST',
      rel: `/cases/${caseId}/steps/collect`,
      body: { _csrf: csrf, collected: 'yes' },
    });
    expect(await failure(post)).toBeInstanceOf(NotFoundError);
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('OPEN');
  });

  it('refuses a POST without the CSRF token of this session', async () => {
    const { startCase, post, openProviderStep, repo, deps } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    for (const body of [{ collected: 'yes' }, { _csrf: 'forged', collected: 'yes' }]) {
      const error = await failure(post(`/cases/${caseId}/steps/collect`, body));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect(error?.code).toBe('CSRF');
    }
    // A token of another sign-in of the same person does not do either.
    const otherSid = csrfToken(deps.vault, session({ sid: 'sid-earlier-sign-in-1' }));
    expect(
      await failure(post(`/cases/${caseId}/steps/collect`, { _csrf: otherSid, collected: 'yes' })),
    ).toBeInstanceOf(ForbiddenError);
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('OPEN');
  });

  it('submits a provider step through the domain (web channel, who), and shows invalid input again', async () => {
    const { startCase, post, csrf, openProviderStep, repo, engine, deps } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    const bad = await post(`/cases/${caseId}/steps/collect`, {
      _csrf: csrf,
      collected: 'maybe',
      note: 'kept',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
    // The summary names the field by its label and links to the radio group's first option; the label is a
    // question, so no colon follows its question mark.
    expect(bad.body).toMatch(/<a href="#f-collect-collected-0">Is het afval opgehaald\? [^<:]+</);
    expect(bad.body).toContain(`id="f-collect-collected-0"`);
    expect(bad.body).not.toContain('>collected: ');
    expect(bad.body).toContain('kept');
    const ok = await post(`/cases/${caseId}/steps/collect`, { _csrf: csrf, collected: 'yes' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/console/cases/${caseId}?notice=saved`);
    expect(await repo.getStep(caseId, 'collect')).toMatchObject({
      status: 'DONE',
      channel: 'web',
      submittedBy: 'staff-1',
    });
    const record = repo.cases.get(caseId);
    if (!record) throw new Error('no case');
    expect(caseCipher(deps.vault, record).openJson((await repo.getStep(caseId, 'collect'))?.dataEnc)).toEqual(
      {
        collected: true,
      },
    );
    expect(repo.processing.filter((r) => r.action === 'update').map((r) => r.categories)).toEqual([
      ['notes'],
    ]);
    expect(engine.completed).toEqual([
      { taskToken: 'tok-collect', output: expect.objectContaining({ actor: 'provider', stepId: 'collect' }) },
    ]);
    const citizens = await failure(post(`/cases/${caseId}/steps/present`, { _csrf: csrf, presented: 'yes' }));
    expect(citizens).toBeInstanceOf(ForbiddenError);
  });

  it('keeps what was typed when a colleague answered the step first: said on the case, the answer listed', async () => {
    const { startCase, post, csrf, openProviderStep, repo } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    expect((await post(`/cases/${caseId}/steps/collect`, { _csrf: csrf, collected: 'yes' })).statusCode).toBe(
      303,
    );
    const second = await post(`/cases/${caseId}/steps/collect`, {
      _csrf: csrf,
      collected: 'no',
      issue: 'not-presented',
      note: 'Container stond niet aan de straat',
    });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('role="alert" tabindex="-1" autofocus');
    expect(second.body).toContain('door u of een collega');
    // No form for the answered step, so the box lists what was sent, a choice by its label.
    expect(second.body).not.toContain(`action="/console/cases/${caseId}/steps/collect"`);
    expect(second.body).toMatch(
      /Wat u verstuurde:<\/p><dl><dt>Is het afval opgehaald\?<\/dt><dd>Nee<\/dd><dt>Bijzonderheid<\/dt><dd>Niet aangeboden<\/dd><dt>[^<]+<\/dt><dd>Container stond niet aan de straat<\/dd><\/dl>/,
    );
    // The first answer stands.
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('DONE');
  });

  it('puts a refused answer back in the form when the step is open again, to send once more', async () => {
    const { startCase, post, csrf, openProviderStep, repo, engine } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    // The step's last wait ran out as the answer came: the engine refuses its token, and the answer is
    // undone (TOKEN_EXPIRED) with the step open until the engine moves on.
    const step = await repo.getStep(caseId, 'collect');
    if (!step) throw new Error('no step');
    repo.putStep({ ...step, expiresAt: new Date(Date.parse(NOW) + 30_000).toISOString() });
    engine.rejected.add('tok-collect');
    const refused = await post(`/cases/${caseId}/steps/collect`, {
      _csrf: csrf,
      collected: 'no',
      note: 'Container stond niet aan de straat',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('verstuur het dan opnieuw');
    expect(refused.body).not.toContain('Wat u verstuurde:');
    expect(refused.body).toContain(`action="/console/cases/${caseId}/steps/collect"`);
    expect(refused.body).toMatch(
      /<textarea[^>]*name="note"[^>]*>Container stond niet aan de straat<\/textarea>/,
    );
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('OPEN');
  });

  it('refuses a form loaded before the step opened again, and puts its answer in the new form', async () => {
    const { startCase, post, get, csrf, openProviderStep, repo } = setup();
    const { caseId } = await startCase();
    openProviderStep(caseId);
    // The form says when the step had opened as the page was served.
    const page = await get(`/cases/${caseId}`);
    expect(page.body).toContain(`<input type="hidden" name="_opened" value="${NOW}">`);
    // A tab loaded in an earlier round of the stage sends its plan now.
    const stale = await post(`/cases/${caseId}/steps/collect`, {
      _csrf: csrf,
      _opened: '2026-02-20T09:00:00.000Z',
      collected: 'yes',
      note: 'Oude notitie',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('opnieuw geopend sinds u het formulier opende');
    expect(stale.body).toMatch(/<textarea[^>]*name="note"[^>]*>Oude notitie<\/textarea>/);
    // Sent again from that page, it carries this opening and is saved.
    expect(stale.body).toContain(`name="_opened" value="${NOW}"`);
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('OPEN');
    const again = { _csrf: csrf, _opened: NOW, collected: 'yes', note: 'Oude notitie' };
    expect((await post(`/cases/${caseId}/steps/collect`, again)).statusCode).toBe(303);
    expect((await repo.getStep(caseId, 'collect'))?.status).toBe('DONE');
  });

  it('cancels with a reason, which the history then shows', async () => {
    const { startCase, post, csrf, repo, engine, get } = setup();
    const { caseId } = await startCase();
    // A blank reason (the browser lets spaces through) comes back on the case, in Dutch, the field as typed.
    const blank = await post(`/cases/${caseId}/cancel`, { _csrf: csrf, reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('role="alert" tabindex="-1" autofocus><p>Geef in één regel een reden op');
    expect(blank.body).not.toContain('Give a reason');
    expect(blank.body).toMatch(/id="reason" name="reason" required maxlength="500" value=" {2}"/);
    expect(repo.cases.get(caseId)?.status).toBe('ACTIVE');
    const res = await post(`/cases/${caseId}/cancel`, { _csrf: csrf, reason: 'Verhuisd' });
    expect(res.statusCode).toBe(303);
    expect(repo.cases.get(caseId)?.status).toBe('CANCELLED');
    expect(JSON.stringify(repo.cases.get(caseId))).not.toContain('Verhuisd');
    expect(engine.stopped).toEqual([
      { serviceId: 'waste-collection', execution: caseId, reason: CANCEL_CAUSE },
    ]);
    const page = await get(`/cases/${caseId}`);
    expect(page.body).toContain('Zaak gestopt door Gm0363: Verhuisd');
    expect(page.body).toContain('(Verhuisd)');
    expect(page.body).not.toContain(`/cases/${caseId}/cancel"`);
    // A colleague's tab stops it too: told on the case, which has no stop form now, so the reason is repeated.
    const twice = await post(`/cases/${caseId}/cancel`, { _csrf: csrf, reason: 'Ook verhuisd' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('Deze zaak is afgesloten, dus dit kan niet meer.');
    expect(twice.body).toContain('<p>Uw reden: Ook verhuisd</p>');
  });

  it('lists cases with both sides at a glance, filters overdue, and draws the chart', async () => {
    const { startCase, openProviderStep, get } = setup();
    const { caseId } = await startCase();
    await startCase('key-second-case-000001');
    openProviderStep(caseId);
    const list = await get('/services/waste-collection');
    expect(list.statusCode).toBe(200);
    expect(list.body.match(/<tr><th scope="row">/g)).toHaveLength(2);
    expect(list.body).toContain('<th scope="col">');
    const overdue = await get('/services/waste-collection', { query: { overdue: '1' } });
    expect(overdue.body).toContain('Geen zaken gevonden.');
    const chart = await get('/services/waste-collection/chart', { locale: 'en' });
    expect(chart.body).toContain('<svg role="img"');
    expect(chart.body).toContain('Based on 2 cases.');
    expect(chart.body).toMatch(/<th scope="row">provider<\/th><td>1<\/td>/);
  });

  it('switches language on the same page: its filters kept, a one-time notice not', async () => {
    const { get } = setup();
    const list = await get('/services/waste-collection', { query: { status: 'ACTIVE', overdue: '1' } });
    expect(list.body).toContain(
      'href="/console/services/waste-collection?status=ACTIVE&amp;overdue=1&amp;lang=en"',
    );
    const home = await get('', { query: { notice: 'created' } });
    expect(home.body).toContain('href="/console?lang=en"');
  });

  it('says that the overdue filter looked at one page when there are more', async () => {
    const { startCase, get } = setup();
    for (let i = 0; i < 22; i++) await startCase(`key-over-case-${String(i).padStart(8, '0')}`);
    const overdue = await get('/services/waste-collection', { query: { overdue: '1' } });
    expect(overdue.body).not.toContain('Geen zaken gevonden.');
    expect(overdue.body).toContain('Op deze pagina staan geen zaken met te late stappen');
    // The next page keeps the filter.
    expect(overdue.body).toMatch(/href="\/console\/services\/waste-collection\?overdue=1&amp;cursor=[^"]+"/);
  });

  it('refuses a crafted or foreign list cursor (400), and takes its own', async () => {
    const { startCase, get } = setup();
    for (let i = 0; i < 22; i++) await startCase(`key-page-case-${String(i).padStart(8, '0')}`);
    const first = await get('/services/waste-collection');
    const cursor = /\?cursor=([^"&]+)/.exec(first.body)?.[1] as string;
    expect(cursor).toMatch(/\./);
    expect((await get('/services/waste-collection', { query: { cursor } })).statusCode).toBe(200);
    for (const crafted of [
      'e30',
      `${cursor}x`,
      'A'.repeat(3000),
      Buffer.from('{"position":"0"}').toString('base64url'),
    ])
      expect(await failure(get('/services/waste-collection', { query: { cursor: crafted } }))).toBeInstanceOf(
        ValidationError,
      );
    // Its own cursor, under another status filter, is another query's.
    const filtered = get('/services/waste-collection', { query: { cursor, status: 'ACTIVE' } });
    expect(await failure(filtered)).toBeInstanceOf(ValidationError);
  });
});
