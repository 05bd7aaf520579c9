import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { caseStatus, createCase, getCase, ORG, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem, TWILIO_TOKEN } from './harness';
import { withLocalSystem } from './setup';

// Issue 11's findings 2-7, each reproduced against the running local system as the security probe
// found it, and refused now. (Each also has unit tests next to its code.)

let sys: LocalSystem;
withLocalSystem((s) => {
  sys = s;
});

const SERVICE = 'waste-collection';

/** One signed Twilio request, to send again byte for byte (a replay). */
function signedSms(form: Record<string, string>) {
  const data = Object.keys(form)
    .sort()
    .reduce((acc, k) => acc + k + form[k], `${sys.url}/sms/inbound`);
  const signature = createHmac('sha1', TWILIO_TOKEN).update(data, 'utf8').digest('base64');
  return () => sys.request('POST', '/sms/inbound', { form, headers: { 'x-twilio-signature': signature } });
}

/** The case once its events stop arriving (the new steps' invitations are sent after they open). */
/** The case as staff read it, less its processing log: every read by staff adds a record to it. */
async function state(caseId: string, token: string) {
  const { processingLog: _, ...view } = await getCase(sys, caseId, token);
  return view;
}

async function settled(caseId: string, token: string) {
  let last = '';
  return eventually(async () => {
    const view = await state(caseId, token);
    const now = JSON.stringify(view);
    const same = now === last;
    last = now;
    await new Promise((ok) => setTimeout(ok, 300));
    return same ? view : undefined;
  }, 'the case to settle');
}

describe('finding 2: a replayed signed SMS', () => {
  it('answers nothing after the step moved on, nor after the case ended, and shows no link', async () => {
    const staff = sys.token(ORG);
    const c = await createCase(sys, SERVICE, staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const send = signedSms({
      From: c.phone,
      To: '+3197010000000',
      Body: 'NEE',
      MessageSid: `SM${'5'.repeat(32)}`,
    });
    expect((await send()).status).toBe(200);
    await eventually(
      async () => step(await getCase(sys, c.caseId, staff), 'present')?.status === 'DONE',
      'present',
    );
    expect((await provider(sys, c.caseId, 'collect', staff, answers(SERVICE, 'collect'))).status).toBe(200);
    await stepOpen(sys, c.caseId, 'household-feedback', staff);
    await stepOpen(sys, c.caseId, 'municipality-feedback', staff);
    const moved = await settled(c.caseId, staff);

    const replay = await send();
    expect(replay.status).toBe(200);
    expect(replay.headers.get('content-type')).toMatch(/xml/);
    expect(replay.text).not.toContain('/c/');
    const after = await getCase(sys, c.caseId, staff);
    expect(step(after, 'household-feedback')).toEqual(step(moved, 'household-feedback'));
    expect(after.stage).toBe(moved.stage);
    expect(after.events).toEqual(moved.events);

    expect(
      (await sys.request('POST', `/cases/${c.caseId}/cancel`, { token: staff, json: { reason: 'done' } }))
        .status,
    ).toBe(200);
    await caseStatus(sys, c.caseId, staff, 'CANCELLED');
    const ended = await settled(c.caseId, staff);
    const late = await send();
    expect(late.status).toBe(200);
    expect(late.text).toBe(replay.text);
    expect(await state(c.caseId, staff)).toEqual(ended);
  });
});

describe('finding 3: crafted list cursors', () => {
  it('are a 400 with the error shape, never a 500 (empty, unsigned, oversized, altered, of another query)', async () => {
    const staff = sys.token(ORG);
    for (let i = 0; i < 3; i++) await createCase(sys, SERVICE, staff);
    const list = (q: string) =>
      sys.request('GET', `/cases?serviceId=${SERVICE}&limit=1${q}`, { token: staff });
    const real = String((await list('')).json.cursor);
    const ofAnother = String((await list('&status=ACTIVE')).json.cursor);
    const key = (k: unknown) => Buffer.from(JSON.stringify(k)).toString('base64url');
    const crafted = [
      key({}),
      // The shape of the unsigned cursors the probe crafted: empty or oversized keys reached DynamoDB.
      key({ pk: '', sk: '', gsi2pk: `SVC#${ORG}#${SERVICE}`, gsi2sk: '' }),
      key({ pk: `CASE#${'x'.repeat(3000)}`, sk: 'CASE', gsi2pk: `SVC#${ORG}#${SERVICE}`, gsi2sk: 'ACTIVE#' }),
      `${key({ pk: 'x'.repeat(3000) })}.AAAAAAAAAAAAAAAAAAAAAA`,
      'A'.repeat(5000),
      `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`,
    ];
    for (const cursor of crafted) {
      const res = await list(`&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor.slice(0, 40)).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await list(`&status=COMPLETED&cursor=${ofAnother}`)).status).toBe(400);
    expect((await list(`&cursor=${real}`)).status).toBe(200);
  });
});

describe('finding 5: the organisation kind', () => {
  it('keeps staff of the same organisation but another kind out of a case (404), in the API', async () => {
    const c = await createCase(sys, SERVICE, sys.token(ORG));
    const school = sys.token(ORG, 'school');
    expect((await sys.request('GET', `/cases/${c.caseId}`, { token: school })).status).toBe(404);
    const cancel = await sys.request('POST', `/cases/${c.caseId}/cancel`, {
      token: school,
      json: { reason: 'x' },
    });
    expect(cancel.status).toBe(404);
    expect((await getCase(sys, c.caseId, sys.token(ORG))).status).toBe('ACTIVE');
  });
});

describe('finding 6: one input policy', () => {
  const body = (citizen: Record<string, string>, over: Record<string, unknown> = {}) => ({
    serviceId: SERVICE,
    citizen: { phone: '0612345678', ...citizen },
    ...over,
  });

  it('POST /cases refuses NUL, ESC, CR/LF and U+202E in names and references, and an unreachable citizen', async () => {
    const staff = sys.token(ORG);
    for (const c of ['\u0000', '\u001b', '\r\n', '\u202e']) {
      const name = await sys.request('POST', '/cases', { token: staff, json: body({ name: `Jan${c}Smit` }) });
      expect(name.status).toBe(400);
      expect(Object.keys(name.json.error.details.fields)).toContain('body.citizen.name');
      const ref = await sys.request('POST', '/cases', {
        token: staff,
        json: body({}, { reference: `R${c}1` }),
      });
      expect(ref.status).toBe(400);
    }
    const unreachable = await sys.request('POST', '/cases', {
      token: staff,
      json: { serviceId: SERVICE, citizen: { name: 'Jan' } },
    });
    expect(unreachable.status).toBe(400);
  });

  it('refuses an Idempotency-Key sent twice with 400 and starts no case', async () => {
    const count = async () =>
      (await sys.request('GET', `/cases?serviceId=${SERVICE}&limit=100`, { token: sys.token(ORG) })).json
        .items.length as number;
    const before = await count();
    const headers = new Headers({
      authorization: `Bearer ${sys.token(ORG)}`,
      'content-type': 'application/json',
    });
    headers.append('idempotency-key', 'k1');
    headers.append('idempotency-key', 'k2');
    const res = await fetch(`${sys.url}/cases`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body({ name: 'Twice' })),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/once/);
    expect(await count()).toBe(before);
  });
});

/** One browser: its cookies, and requests that send them (redirects not followed). */
function browser(jar = new Map<string, string>()) {
  const get = async (url: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(url, sys.url), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie && { cookie }) },
    });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  const post = (url: string, form: Record<string, string>) =>
    get(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  return { jar, get, post };
}

/** Through the local managed login, as staff of ORG; gives the authorize URL the console sent to. */
async function signIn(b: ReturnType<typeof browser>) {
  const login = await b.get('/console/login');
  const authorize = new URL(login.headers.get('location') as string, sys.url);
  expect((await b.get(authorize.href)).status).toBe(200);
  const code = await b.post(`${authorize.origin}${authorize.pathname}`, {
    ...Object.fromEntries(authorize.searchParams),
    org: ORG,
    kind: 'municipality',
  });
  expect((await b.get(code.headers.get('location') as string)).status).toBe(303);
  return authorize;
}

const csrfOf = async (res: Response) => /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] as string;

describe('finding 4: sign-out ends a console session', () => {
  it('refuses the old cookie and its CSRF token afterwards, also for a change', async () => {
    const staff = sys.token(ORG);
    const c = await createCase(sys, SERVICE, staff);
    const me = browser();
    await signIn(me);
    const page = await me.get(`/console/cases/${c.caseId}`);
    expect(page.status).toBe(200);
    const csrf = await csrfOf(page);
    // Someone who copied the cookie before the sign-out.
    const copy = browser(new Map(me.jar));
    expect((await copy.get('/console')).status).toBe(200);

    const out = await me.post('/console/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toMatch(/\/logout\?/);

    const home = await copy.get('/console');
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toMatch(/\/console\/login/);
    const cancel = await copy.post(`/console/cases/${c.caseId}/cancel`, {
      _csrf: csrf,
      reason: 'stolen cookie',
    });
    expect(cancel.status).toBe(302);
    expect((await getCase(sys, c.caseId, staff)).status).toBe('ACTIVE');
  });

  it('the console, signed in, answers crafted cursors of its lists with a 400 page', async () => {
    const me = browser();
    await signIn(me);
    for (const path of [`/console/services/${SERVICE}`, `/console/services/${SERVICE}/rounds`]) {
      for (const cursor of [
        'e30',
        'A'.repeat(2000),
        `${Buffer.from('{"pk":""}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
      ]) {
        const res = await me.get(`${path}?cursor=${cursor}`);
        expect(res.status, `${path} ${cursor.slice(0, 20)}`).toBe(400);
      }
    }
  });
});

describe('finding 7: the local sign-in', () => {
  it('sends a code only to the registered redirect_uri, exactly; 400 for anything else; with a CSP', async () => {
    const authorize = await signIn(browser());
    const registered = authorize.searchParams.get('redirect_uri') as string;
    const host = new URL(sys.url).host;
    const page = await fetch(authorize);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src/);
    expect(page.headers.get('x-frame-options') ?? page.headers.get('content-security-policy')).toMatch(
      /DENY|frame-ancestors/,
    );
    for (const redirect of [
      `http://${host}@evil.example/`,
      `http://${host}@evil.example/console/callback`,
      `${registered}/../x`,
      'http://[',
      '%',
      '',
    ]) {
      const bad = new URL(authorize);
      bad.searchParams.set('redirect_uri', redirect);
      const res = await fetch(bad, { redirect: 'manual' });
      expect(res.status, redirect).toBe(400);
      const posted = await fetch(`${bad.origin}${bad.pathname}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...Object.fromEntries(bad.searchParams),
          org: ORG,
          kind: 'municipality',
        }).toString(),
      });
      expect(posted.status, redirect).toBe(400);
      expect(posted.headers.get('location')).toBeNull();
    }
  });
});
