import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { caseCipher } from '../../../functions/domain/case-keys';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/citizen-page';
import { STYLE_FILE } from '../../../functions/pages/style-file';
import { errorCode, invoke } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { caseItem, stepItem } from './items';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const token = vault.linkToken('case1');
const csrf = vault.hash(`csrf:${token}`);

const citizenStep = stepItem();
const providerStep = stepItem({
  stepId: 'plan-route',
  actor: 'provider',
  status: 'DONE',
  data: { day: '2026-03-10', kind: 'gft' },
  submittedAt: '2026-03-02T09:00:00.000Z',
  channel: 'api',
});

function table(
  over: {
    expiresAt?: string;
    citizenData?: Record<string, unknown>;
    status?: 'ACTIVE' | 'CANCELLED' | 'FAILED';
    /** Processing log items of the case partition. */
    processing?: Record<string, unknown>[];
    erased?: { at: string; by: string };
  } = {},
) {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: keys.link(sha256(token)) }).resolves({
    Item: {
      ...keys.link(sha256(token)),
      caseId: 'case1',
      expiresAt: over.expiresAt ?? '2099-01-01T00:00:00.000Z',
    },
  });
  const head = caseItem({
    status: over.status ?? 'ACTIVE',
    ...(over.status === 'FAILED' && {
      failure: {
        error: 'Lambda.TooManyRequestsException',
        cause: 'Rate Exceeded.',
        at: '2026-03-02T08:00:00.000Z',
        execution: 'case1',
        redriveCount: 0,
      },
    }),
    reference: 'INTERNAL-REF',
    citizen: { locale: 'nl', nameEnc: vault.encrypt('Anna') },
    ...(over.erased && { erased: over.erased }),
  });
  ddb.on(QueryCommand).resolves({
    Items: [head, { ...citizenStep, ...over.citizenData }, providerStep, ...(over.processing ?? [])],
  });
  ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: head });
  ddb.on(GetCommand, { Key: keys.step('case1', 'confirm-address') }).resolves({ Item: citizenStep });
  ddb.on(GetCommand, { Key: keys.step('case1', 'plan-route') }).resolves({ Item: providerStep });
  ddb.on(UpdateCommand).resolves({ Attributes: { ...citizenStep, status: 'DONE' } });
  ddb.on(PutCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
}

const get = (query?: Record<string, string>, headers?: Record<string, string>, t = token) =>
  invoke(handler, {
    path: `/c/${t}`,
    pathParameters: { linkToken: t },
    ...(query && { query }),
    ...(headers && { headers }),
  });

const post = (body: unknown, stepId = 'confirm-address', headers: Record<string, string> = {}) =>
  invoke(handler, {
    method: 'POST',
    path: `/c/${token}/steps/${stepId}`,
    pathParameters: { linkToken: token, stepId },
    query: { lang: 'nl' },
    headers:
      typeof body === 'string'
        ? { 'content-type': 'application/x-www-form-urlencoded', ...headers }
        : headers,
    body,
  });

beforeEach(() => table());
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('GET /c/{linkToken}', () => {
  it('shows both lanes in Dutch with a form for the open citizen step and the CSRF value', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html lang="nl"');
    expect(res.body).toContain('>Wat u doet</h3>');
    expect(res.body).toMatch(/>Wat [^<]+ doet<\/h3>/);
    expect(res.body).toContain(`hreflang="en" lang="en">English</a>`);
    expect(res.body).toContain(`method="post" action="/c/${token}/steps/confirm-address?lang=nl"`);
    expect(res.body).toContain(`<input type="hidden" name="_csrf" value="${csrf}">`);
    expect(res.body).toMatch(/<legend[^>]*>Klopt het\?<\/legend>/);
    expect(res.body).toContain('<label class="utrecht-form-label" for="f-confirm-address-note">Opmerking');
    // What the provider submitted, in words: the choice label and a formatted date.
    expect(res.body).toMatch(/<dd[^>]*>GFT<\/dd>/);
    expect(res.body).toMatch(/<dd[^>]*>10 maart 2026<\/dd>/);
    expect(res.body).not.toContain('INTERNAL-REF');
    expect(res.body).not.toContain('Anna');
    expect(res.body).not.toMatch(/<script/i);
  });

  it('speaks English with ?lang=en or an English browser', async () => {
    const byQuery = await get({ lang: 'en' });
    expect(byQuery.body).toContain('<html lang="en"');
    expect(byQuery.body).toContain('>What you do</h3>');
    expect(byQuery.body).toContain('hreflang="nl" lang="nl">Nederlands</a>');
    const byHeader = await get(undefined, { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(byHeader.body).toContain('<html lang="en"');
  });

  it('thanks for a done step and shows no forms once the case is closed', async () => {
    const thanked = await get({ done: 'plan-route' });
    expect(thanked.body).toContain(
      '<div class="utrecht-alert__message"><p class="utrecht-paragraph">Dank u. Uw antwoord is ontvangen: ‘Route plannen’</p></div>',
    );
    table({ status: 'CANCELLED' });
    const closed = await get();
    expect(closed.body).toContain('<strong>Gestopt</strong>');
    expect(closed.body).not.toContain('<form');
  });

  it('escapes everything that was submitted', async () => {
    table({ citizenData: { status: 'DONE', data: { note: '<script>alert(1)</script>', correct: true } } });
    const res = await get();
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain('<script>');
  });

  it('returns the JSON case view for Accept: application/json, without contact data', async () => {
    const res = await get(undefined, { Accept: 'application/json' });
    expect(res.statusCode).toBe(200);
    const steps = res.json?.steps as { stepId: string; actor: string; status: string }[];
    expect(steps.map((s) => [s.stepId, s.actor, s.status])).toEqual([
      ['confirm-address', 'citizen', 'OPEN'],
      ['plan-route', 'provider', 'DONE'],
      ['put-out', 'citizen', 'PENDING'],
      ['empty-bin', 'provider', 'PENDING'],
    ]);
    expect(res.json).not.toHaveProperty('citizen');
    expect(res.json).not.toHaveProperty('reference');
    expect(res.body).not.toContain('tok-1');
  });

  it('answers an unknown link with a friendly 404 page and an expired one with 410', async () => {
    const unknown = await get(undefined, undefined, 'A'.repeat(22));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Controleer de link');
    expect(unknown.body).toContain('check the link');
    const malformed = await get(undefined, undefined, '<x>');
    expect(malformed.statusCode).toBe(404);
    table({ expiresAt: '2020-01-01T00:00:00.000Z' });
    const expired = await get();
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Deze link is verlopen');
    expect(expired.body).not.toMatch(/at .*\.ts/);
    const asJson = await get(undefined, { Accept: 'application/json' });
    expect([asJson.statusCode, errorCode(asJson)]).toEqual([410, 'LINK_EXPIRED']);
  });
});

describe('security headers and the stylesheet', () => {
  it('forbids scripts, framing and referrers, and loads its style from its own origin', async () => {
    const res = await get();
    expect(res.headers['content-security-policy']).toContain("script-src 'none'");
    expect(res.headers['content-security-policy']).toContain("style-src 'self';");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers).toMatchObject({
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    });
    expect(res.body).not.toMatch(/<style|style="/);
    const href = res.body.match(/<link rel="stylesheet" href="(\/c\/assets\/style-[0-9a-f]{12}\.css)">/)?.[1];
    expect(href).toBeDefined();
    // The sheet itself comes from the assets function (test/functions/handlers/assets.test.ts).
    expect(href?.split('/').pop()).toBe(STYLE_FILE);
  });
});

describe('POST /c/{linkToken}/steps/{stepId}', () => {
  it('submits the form and redirects (303) back to the page', async () => {
    const res = await post(`_csrf=${encodeURIComponent(csrf)}&correct=ja&note=achterom`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`https://coproduce.example.nl/c/${token}?done=confirm-address&lang=nl`);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: keys.step('case1', 'confirm-address'),
      ExpressionAttributeValues: expect.objectContaining({ ':channel': 'web', ':actor': 'citizen' }),
    });
    // Sealed with the case's key (this case predates data keys: the stack's key), never in clear.
    const values = ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues;
    expect(caseCipher(vault, caseItem() as never).openJson(values?.[':dataEnc'] as string)).toEqual({
      correct: true,
      note: 'achterom',
    });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'tok-1' });
    expect(JSON.stringify(sfn.calls().map((c) => c.args[0].input))).not.toContain('achterom');
    // The case item is read once. The provider's step of the stage was done already, so this answer
    // ended the stage visit: the partition is read once (its events), for the service report's waiting.
    expect(ddb.commandCalls(GetCommand).filter((c) => c.args[0].input.Key?.sk === 'CASE')).toHaveLength(1);
    expect(
      ddb.commandCalls(QueryCommand).filter((c) => c.args[0].input.IndexName === undefined),
    ).toHaveLength(1);
  });

  it('refuses a form without the right CSRF value (403) and saves nothing', async () => {
    const res = await post('_csrf=forged&correct=ja');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Open de pagina opnieuw');
    expect((await post('correct=ja')).statusCode).toBe(403);
    // A cross-site form may send text/plain with any parameters: refused, never taken for JSON.
    const plain = await post('{"data":{"correct":true}}', 'confirm-address', {
      'content-type': 'text/plain; x=json',
    });
    expect(plain.statusCode).toBe(415);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('re-renders the page (400) with the error next to the field and the typed values kept', async () => {
    const res = await post(
      `_csrf=${encodeURIComponent(csrf)}&correct=ja&note=${'x'.repeat(21)}&bins=%22%3E7`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(
      '<li><a class="utrecht-link utrecht-link--html-a" href="#f-confirm-address-note">Opmerking: Gebruik hoogstens 20 tekens.</a></li>',
    );
    expect(res.body).toMatch(/id="f-confirm-address-note-error">Gebruik hoogstens 20 tekens\./);
    expect(res.body).toContain(`value="${'x'.repeat(21)}"`);
    expect(res.body).toContain('value="&quot;&gt;7"');
    expect(res.body).toMatch(/value="yes" checked/);
    expect(res.body).toMatch(
      /<input type="text"[^>]* aria-invalid="true" aria-describedby="f-confirm-address-note-error"/,
    );
    expect(res.body).toMatch(/<fieldset role="radiogroup"[^>]* aria-required="true"/);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('keeps the typed answers when the engine stopped waiting just then (409, nothing saved)', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    // The revert reads the step the completion wrote; the page after it shows the step open again.
    ddb
      .on(GetCommand, { Key: keys.step('case1', 'confirm-address') })
      .resolvesOnce({ Item: { ...citizenStep, status: 'DONE' } })
      .resolves({ Item: citizenStep });
    const res = await post(`_csrf=${encodeURIComponent(csrf)}&correct=nee&note=voortuin`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Er is niets opgeslagen');
    expect(res.body).toContain('value="voortuin"');
    expect(res.body).toMatch(/value="no" checked/);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('refuses a page served before the question was asked again (409), with the answers kept and nothing saved', async () => {
    // The form says when the step had opened as the page was served; the write holds only for that opening.
    const page = await get();
    expect(page.body).toContain('<input type="hidden" name="_opened" value="2026-03-01T09:00:00.000Z">');
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('cond'), { name: 'ConditionalCheckFailedException' }));
    const stale = '_opened=2026-02-20T09%3A00%3A00.000Z';
    const res = await post(`_csrf=${encodeURIComponent(csrf)}&${stale}&correct=nee&note=voortuin`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Deze vraag is opnieuw gesteld sinds u de pagina opende');
    expect(res.body).toContain('value="voortuin"');
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: expect.stringContaining('openedAt = :openedAt'),
      ExpressionAttributeValues: expect.objectContaining({ ':openedAt': '2026-02-20T09:00:00.000Z' }),
    });
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it("leads a GET of a form's address (a reload, a restored tab) back to the page, at the step", async () => {
    const step = await invoke(handler, {
      routeKey: 'GET /c/{linkToken}/steps/{stepId}',
      path: `/c/${token}/steps/confirm-address`,
      pathParameters: { linkToken: token, stepId: 'confirm-address' },
      query: { lang: 'en' },
    });
    expect(step.statusCode).toBe(303);
    expect(step.headers.location).toBe(
      `https://coproduce.example.nl/c/${token}?lang=en#step-confirm-address`,
    );
    const reopen = await invoke(handler, {
      routeKey: 'GET /c/{linkToken}/reopen',
      path: `/c/${token}/reopen`,
      pathParameters: { linkToken: token },
      query: { lang: '"><x' },
    });
    expect(reopen.headers.location).toBe(`https://coproduce.example.nl/c/${token}`);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('accepts JSON { data } and answers with the step', async () => {
    const res = await post({ data: { correct: false } });
    expect(res.statusCode).toBe(200);
    expect(res.json?.step).toMatchObject({
      stepId: 'confirm-address',
      status: 'DONE',
      data: { correct: false },
    });
    const bad = await post({ data: { correct: 'perhaps' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json?.error).toMatchObject({ details: { fields: { correct: 'Answer yes or no.' } } });
  });

  it('refuses provider steps and steps that are not open, with a way back to the case', async () => {
    const provider = await post(`_csrf=${encodeURIComponent(csrf)}&day=2026-03-10`, 'plan-route');
    expect(provider.statusCode).toBe(403);
    expect(provider.body).toContain(`href="/c/${token}"`);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    // Already answered: the conditional completion is refused, and the read after it says why.
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('cond'), { name: 'ConditionalCheckFailedException' }));
    ddb
      .on(GetCommand, { Key: keys.step('case1', 'confirm-address') })
      .resolves({ Item: { ...citizenStep, status: 'DONE' } });
    const done = await post(`_csrf=${encodeURIComponent(csrf)}&correct=ja`);
    expect(done.statusCode).toBe(409);
    expect(done.body).toContain('al ingevuld');
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });
});

describe('a FAILED case on the citizen page', () => {
  beforeEach(() => table({ status: 'FAILED' }));

  it('says plainly, in Dutch, that the organisation’s side failed and that it knows; no forms', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Stand van zaken: <strong>Onderbroken</strong>');
    expect(res.body).toContain('<h2 class="utrecht-heading-2">Er ging bij Gm0363 iets mis</h2>');
    expect(res.body).toContain(
      'Door een fout aan de kant van Gm0363 staat uw zaak even stil. Gm0363 weet ervan en lost het op.',
    );
    expect(res.body).toContain('Dit kunt u invullen zodra het probleem bij Gm0363 is opgelost.');
    expect(res.body).not.toContain('method="post"');
    // The technical failure is for staff only.
    expect(res.body).not.toContain('TooManyRequests');
  });

  it('says the same in English', async () => {
    const res = await get({ lang: 'en' });
    expect(res.body).toContain('Progress: <strong>Interrupted</strong>');
    expect(res.body).toContain('<h2 class="utrecht-heading-2">Something went wrong at Gm0363</h2>');
    expect(res.body).toContain('Gm0363 has been told and is fixing it.');
    expect(res.body).toContain('You can fill this in once the problem at Gm0363 is fixed.');
  });

  it('shows the status, not the failure, as JSON', async () => {
    const res = await get(undefined, { accept: 'application/json' });
    expect(res.json).toMatchObject({ status: 'FAILED' });
    expect(res.json).not.toHaveProperty('failure');
  });

  it('takes no answer meanwhile: 409 with a clear page in both languages, nothing written', async () => {
    const res = await post(`_csrf=${encodeURIComponent(csrf)}&correct=yes`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(
      'Er ging aan de kant van Gm0363 iets mis met deze zaak. Gm0363 weet ervan en lost het op.',
    );
    expect(res.body).toContain(
      'Something went wrong on the side of Gm0363 with this case. Gm0363 has been told',
    );
    expect(res.body).toContain(`href="/c/${token}"`);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('answers a JSON submission with 409 CASE_FAILED', async () => {
    const res = await post({ data: { correct: true } });
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'CASE_FAILED']);
    expect(res.json).toMatchObject({ error: { details: { status: 'FAILED', org: 'Gm0363' } } });
  });
});

/** A processing log item as the table holds it. */
const logItem = (at: string, action: string, categories: string[], org = 'gemeente-utrecht') => ({
  ...keys.processing('case1', at, `span-${at}`),
  caseId: 'case1',
  at,
  action,
  categories,
  org,
  by: 'staff-secret-sub',
  serviceId: 'waste-collection',
  activity: 'afvalinzameling',
  traceId: 'trace-secret',
  spanId: `span-${at}`,
  parentSpanId: 'p',
  ttl: 4_000_000_000,
});

/** 130 reads of the case, a minute apart, oldest first. */
const manyReads = Array.from({ length: 130 }, (_, i) =>
  logItem(new Date(Date.UTC(2026, 11, 3, 8, i)).toISOString(), 'read', ['answers']),
);

describe('the processing log on the citizen page', () => {
  const processing = [
    logItem('2026-12-01T09:00:00.000Z', 'create', ['contact', 'reference']),
    logItem('2026-12-03T10:15:00.000Z', 'read', ['contact', 'answers']),
  ];

  it('lists it in the JSON view as { at, organisation, purpose, categories, action }, without staff', async () => {
    table({ processing });
    const res = await get(undefined, { accept: 'application/json' });
    expect(res.statusCode).toBe(200);
    const purpose = { nl: 'het ophalen van uw afval', en: 'collecting your waste' };
    expect(res.json?.processingLog).toEqual([
      {
        at: '2026-12-01T09:00:00.000Z',
        organisation: 'Gemeente Utrecht',
        purpose,
        categories: ['contact', 'reference'],
        action: 'create',
      },
      {
        at: '2026-12-03T10:15:00.000Z',
        organisation: 'Gemeente Utrecht',
        purpose,
        categories: ['contact', 'answers'],
        action: 'read',
      },
    ]);
    for (const hidden of ['staff-secret-sub', 'trace-secret', 'INTERNAL-REF'])
      expect(res.body).not.toContain(hidden);
  });

  it('says it in plain Dutch and English, per organisation and purpose, and links the export', async () => {
    table({ processing });
    const nl = await get();
    expect(nl.body).toContain('Wie uw gegevens heeft gebruikt');
    expect(nl.body).toContain('Waarvoor: het ophalen van uw afval');
    expect(nl.body).toContain(
      'Gemeente Utrecht heeft uw contactgegevens en uw antwoorden bekeken op 3 december 2026.',
    );
    expect(nl.body).toContain(`href="/c/${token}/export" download`);
    expect(nl.body).not.toContain('staff-secret-sub');
    const en = await get({ lang: 'en' });
    expect(en.body).toContain(
      'Gemeente Utrecht viewed your contact details and your answers on 3 December 2026.',
    );
  });

  it('shows the newest 100 records of a long log and says where the older ones are', async () => {
    table({ processing: manyReads });
    const json = await get(undefined, { accept: 'application/json' });
    const log = json.json?.processingLog as { at: string }[];
    expect(log).toHaveLength(100);
    expect(log.map((entry) => entry.at)).toEqual(manyReads.slice(30).map((item) => item.at));
    expect(json.json?.processingLogOlder).toBe(true);
    const page = await get();
    expect(page.body).toContain(
      'Hier staan de 100 laatste keren. Eerdere keren staan in de download van al uw gegevens, onderaan deze pagina.',
    );
    table({ processing });
    expect((await get()).body).not.toContain('Eerdere keren');
  });

  it('shows an erased case as such: "gegevens verwijderd", without any of its data', async () => {
    table({ erased: { at: '2026-12-04T10:00:00.000Z', by: 'staff-1' } });
    const res = await get();
    expect(res.body).toContain('Gegevens verwijderd');
    expect(res.body).toContain(
      'Op 4 december 2026 heeft Gm0363 uw persoonlijke gegevens in deze zaak verwijderd.',
    );
    const json = await get(undefined, { accept: 'application/json' });
    expect(json.json?.erased).toEqual({ at: '2026-12-04T10:00:00.000Z' });
  });
});

describe('GET /c/{linkToken}/export', () => {
  const exportCase = (t = token) =>
    invoke(handler, {
      path: `/c/${t}/export`,
      routeKey: 'GET /c/{linkToken}/export',
      pathParameters: { linkToken: t },
    });

  it('hands the citizen everything the case holds about them, as a JSON download, and logs it', async () => {
    table({
      processing: [logItem('2026-12-03T10:15:00.000Z', 'read', ['answers'])],
      citizenData: {
        status: 'DONE',
        data: { correct: true, note: 'achterom' },
        submittedAt: '2026-12-02T10:00:00.000Z',
      },
    });
    const res = await exportCase();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="waste-collection-case1.json"');
    expect(res.json).toMatchObject({
      case: { caseId: 'case1', organisation: { id: 'gm0363', name: 'Gm0363' }, status: 'ACTIVE' },
      citizen: { name: 'Anna', locale: 'nl' },
      reference: 'INTERNAL-REF',
      processingLog: [expect.objectContaining({ action: 'read', categories: ['answers'] })],
    });
    const steps = res.json?.steps as { stepId: string; data?: unknown }[];
    expect(steps.find((s) => s.stepId === 'confirm-address')?.data).toEqual({
      correct: true,
      note: 'achterom',
    });
    expect(steps.find((s) => s.stepId === 'plan-route')?.data).toEqual({ day: '2026-03-10', kind: 'gft' });
    expect(res.body).not.toContain('staff-secret-sub');
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ type: 'DATA_EXPORTED', actor: 'citizen' }),
    });
  });

  it('hands over the whole processing log, however long, each day’s repeats counted: a page shows only its newest records', async () => {
    table({ processing: manyReads });
    const res = await exportCase();
    // 130 reads of the same data on 3 December, one a minute from 08:00 UTC.
    expect(res.json?.processingLog).toEqual([
      expect.objectContaining({
        at: '2026-12-03T08:00:00.000Z',
        until: '2026-12-03T10:09:00.000Z',
        times: 130,
        action: 'read',
        categories: ['answers'],
      }),
    ]);
    expect(res.json).not.toHaveProperty('processingLogOlder');
    // The whole partition, every page of it.
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CASE#case1' },
    });
    for (const call of ddb.commandCalls(QueryCommand)) expect(call.args[0].input.Limit).toBeUndefined();
  });

  it('answers 404 for an unknown link and 410 for an expired one, exporting nothing', async () => {
    expect((await exportCase('x'.repeat(22))).statusCode).toBe(404);
    table({ expiresAt: '2020-01-01T00:00:00.000Z' });
    expect((await exportCase()).statusCode).toBe(410);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});
