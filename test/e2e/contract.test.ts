import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResponseContract } from '../support/openapi-responses';
import { type BadRequest, brokenJson, craftedCursor, craftedId, invalidFor } from './bad-requests';
import { type Created, createCase, ORG, stepOpen } from './cases';
import { answers } from './forms';
import { type LocalSystem, type Loose, TWILIO_TOKEN } from './harness';
import { withLocalSystem } from './setup';

// The published contract, attacked: per route of GET /openapi.json, bad requests derived from its
// parameters and bodies (wrong types, sizes, the input policy's refused characters, missing and extra
// fields, broken encodings, crafted ids and cursors, repeated headers, wrong tokens) against the
// running local system. Each request carries at least one fault, so none may change anything: no
// 5xx, no 2xx (but the SMS webhook's TwiML and the console's redirects), every answer in the contract,
// and the cases, the listing, the round and the outbox the same afterwards.

let sys: LocalSystem;
withLocalSystem((s) => {
  sys = s;
});

const SERVICE = 'waste-collection';
/** Per route; FUZZ_RUNS and FUZZ_SEED to search longer or replay a failure. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
let document: Loose;
let contract: ResponseContract;
let staff: string;
const cases: Created[] = [];
let roundId = '';
const cursors: string[] = [];

/**
 * Everything a bad request must leave as it was. Two records grow by design and are left out: the
 * processing log (every staff read is logged) and a refused answer by SMS (SUBMISSION_REFUSED, logged
 * without its text), which is also answered with a text to that phone.
 */
async function snapshot() {
  const listing: unknown[] = [];
  let cursor = '';
  do {
    const page = await sys.request('GET', `/cases?serviceId=${SERVICE}&limit=2${cursor}`, { token: staff });
    listing.push(...page.json.items);
    cursor = page.json.cursor ? `&cursor=${page.json.cursor}` : '';
  } while (cursor);
  const kept = ({ processingLog: _log, events, waiting, ...rest }: Loose) => ({
    ...rest,
    // A running stage's waiting counts up with the clock by itself: the ended stage visits are state.
    waiting: (waiting.stages as Loose[]).filter((s) => s.endedAt !== undefined),
    // What a request may leave without changing the case: a refused submission, and each download of
    // the citizen's export (a GET that works with any extra query or header is logged, as it should be).
    events: (events as Loose[]).filter((e) => !['SUBMISSION_REFUSED', 'DATA_EXPORTED'].includes(e.type)),
  });
  const views = [];
  for (const c of cases) {
    views.push(kept((await sys.request('GET', `/cases/${c.caseId}`, { token: staff })).json));
    const citizen = await sys.request('GET', `/c/${c.linkToken}`, {
      headers: { accept: 'application/json' },
    });
    views.push(kept(citizen.json));
  }
  const round = (await sys.request('GET', `/rounds/${roundId}`, { token: staff })).json;
  const smsPhone = (cases[0] as Created).phone;
  const outbox = (await sys.outbox()).filter((m) => m.to !== smsPhone);
  return { listing, views, round, outbox };
}

beforeAll(async () => {
  staff = sys.token(ORG);
  const res = await fetch(`${sys.url}/openapi.json`);
  document = await res.json();
  contract = new ResponseContract(document);
  for (let i = 0; i < 3; i++) cases.push(await createCase(sys, SERVICE, staff));
  for (const c of cases) await stepOpen(sys, c.caseId, 'collect', staff);
  const round = await sys.request('POST', '/rounds', {
    token: staff,
    json: { serviceId: SERVICE, name: 'fuzz' },
  });
  roundId = round.json.roundId;
  for (const status of ['', '&status=ACTIVE']) {
    const page = await sys.request('GET', `/cases?serviceId=${SERVICE}&limit=1${status}`, { token: staff });
    cursors.push(page.json.cursor);
  }
}, 120_000);

/** The valid request of each route, which every bad request departs from by at least one fault. */
function valid(
  method: string,
  path: string,
): { path: Record<string, string>; query: Record<string, string>; body?: unknown } {
  const real = cases[0] as Created;
  const citizen = path.startsWith('/c/');
  return {
    path: {
      caseId: real.caseId,
      roundId,
      linkToken: real.linkToken,
      stepId: citizen ? 'present' : 'collect',
      // No such helper: a withdrawal of it changes nothing.
      delegateId: 'fuzz-helper-0',
      file: 'app.css',
      proxy: 'cases',
      // A well-formed id of no proposal: a valid answer is a 404, so nothing changes.
      proposalId: 'collect-0123456789',
    },
    query: { serviceId: SERVICE, status: 'ACTIVE', limit: '10', cursor: cursors[0] as string, lang: 'en' },
    body: (
      {
        'POST /cases': {
          serviceId: SERVICE,
          citizen: { name: 'Fuzz', phone: '0612345678', locale: 'nl' },
          reference: 'f',
        },
        'POST /cases/{caseId}/cancel': { reason: 'fuzz' },
        'POST /cases/{caseId}/reopen': { reason: 'fuzz' },
        'POST /c/{linkToken}/reopen': { reason: 'fuzz' },
        'POST /rounds': { serviceId: SERVICE, name: 'fuzz' },
        'POST /cases/{caseId}/steps/{stepId}': { data: answers(SERVICE, 'collect') },
        'POST /c/{linkToken}/steps/{stepId}': { data: answers(SERVICE, 'present') },
        'POST /c/{linkToken}/delegates': { name: 'Fuzz', steps: ['present'] },
        'POST /c/{linkToken}/delegates/{delegateId}/revoke': {},
        // Further than the step's maximum shift: a valid request, refused by the domain (nothing changes).
        'POST /cases/{caseId}/steps/{stepId}/proposals': { dueAt: '2099-01-01', reason: 'fuzz' },
        'POST /c/{linkToken}/steps/{stepId}/proposals': { dueAt: '2099-01-01', reason: 'fuzz' },
        'POST /cases/{caseId}/proposals/{proposalId}': { accept: true },
        'POST /c/{linkToken}/proposals/{proposalId}': { accept: false, note: 'fuzz' },
      } as Record<string, unknown>
    )[`${method} ${path}`],
  };
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] as string);
const queryOf = (values: Record<string, string>) =>
  Object.keys(values).length === 0
    ? ''
    : `?${Object.entries(values)
        .map(([k, v]) => `${k}=${v}`)
        .join('&')}`;

/** Bad requests for one operation of the document. */
function badRequests(method: string, template: string, operation: Loose): fc.Arbitrary<BadRequest> {
  const base = valid(method, template);
  const parameters = (operation.parameters ?? []) as Loose[];
  const inPath = parameters.filter((p) => p.in === 'path');
  const inQuery = parameters.filter((p) => p.in === 'query');
  const query: Record<string, string> = Object.fromEntries(
    inQuery.filter((p) => p.required).map((p) => [p.name, base.query[p.name] as string]),
  );
  const auth: [string, string][] = operation.security ? [['authorization', `Bearer ${staff}`]] : [];
  const jsonSchema = operation.requestBody?.content?.['application/json']?.schema;
  const request = (
    fault: string,
    over: Partial<BadRequest> & { pathValues?: Record<string, string>; queryValues?: Record<string, string> },
  ): BadRequest => ({
    fault,
    method,
    path: `${fill(template, over.pathValues ?? base.path)}${queryOf(over.queryValues ?? query)}`,
    headers: over.headers ?? [
      ...auth,
      ...(base.body ? [['content-type', 'application/json'] as [string, string]] : []),
    ],
    body: 'body' in over ? over.body : base.body === undefined ? undefined : JSON.stringify(base.body),
  });
  const faults: fc.Arbitrary<BadRequest>[] = [];
  for (const p of inPath)
    faults.push(
      craftedId.map((id) =>
        request(`crafted ${p.name} ${id.slice(0, 60)}`, { pathValues: { ...base.path, [p.name]: id } }),
      ),
    );
  for (const p of inQuery) {
    const bad =
      p.name === 'cursor'
        ? craftedCursor(cursors)
        : // A query value is always a string: only strings the schema refuses are faults.
          invalidFor(p.schema, base.query[p.name])
            .filter((v): v is string => typeof v === 'string')
            .map(encodeURIComponent);
    faults.push(
      bad.map((v) =>
        request(`query ${p.name}=${v.slice(0, 60)}`, { queryValues: { ...query, [p.name]: v } }),
      ),
    );
    if (p.required)
      faults.push(
        fc.constant(
          request(`no ${p.name}`, {
            queryValues: Object.fromEntries(Object.entries(query).filter(([k]) => k !== p.name)),
          }),
        ),
      );
  }
  if (inQuery.some((p) => p.name === 'cursor'))
    // A real cursor of another query (the status filter differs): it belongs to its own query only.
    faults.push(
      fc.constant(
        request('a cursor of another query', { queryValues: { ...query, cursor: cursors[1] as string } }),
      ),
    );
  for (const p of parameters.filter((q) => q.in === 'header' && q.schema.pattern)) {
    // Headers with a rule of their own (sent once, of a pattern): what a header can carry (visible
    // Latin-1) but the pattern refuses, and the header twice.
    const pattern = new RegExp(p.schema.pattern ?? '^$', 'u');
    const bad = fc
      .oneof(
        fc.constantFrom('a b', 'k\u00e4y', '"k"', 'k;1'),
        fc.integer({ min: 129, max: 2000 }).map((n) => 'k'.repeat(n)),
      )
      .filter((v) => !pattern.test(v));
    faults.push(
      bad.map((v) =>
        request(`header ${p.name}: ${String(v).slice(0, 40)}`, {
          headers: [...request('', {}).headers, [p.name, String(v)]],
        }),
      ),
    );
    faults.push(
      fc.constant(
        request(`${p.name} twice`, { headers: [...request('', {}).headers, [p.name, 'k1'], [p.name, 'k2']] }),
      ),
    );
  }
  if (jsonSchema && base.body !== undefined) {
    faults.push(
      invalidFor(jsonSchema, base.body).map((body) =>
        request(`body ${JSON.stringify(body).slice(0, 80)}`, { body: JSON.stringify(body) }),
      ),
    );
    faults.push(brokenJson.map(({ fault, body }) => request(fault, { body })));
    faults.push(
      fc
        .constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x')
        .map((type) => request(`a ${type} body`, { headers: [...auth, ['content-type', type]] })),
    );
  }
  if (template.includes('/steps/') && (base.body as Loose)?.data)
    // Answers the input policy refuses, whatever the field's type.
    faults.push(
      fc
        .tuple(
          fc.constantFrom(...Object.keys((base.body as Loose).data)),
          fc.constantFrom('\u0000', '\u001b', '\u202e'),
        )
        .map(([field, c]) =>
          request(`data.${field} with U+${c.charCodeAt(0).toString(16)}`, {
            body: JSON.stringify({ data: { ...(base.body as Loose).data, [field]: `ja${c}` } }),
          }),
        ),
    );
  if (template.startsWith('/c/') && method === 'POST')
    faults.push(
      fc.constant(
        request('the form without its CSRF value', {
          headers: [['content-type', 'application/x-www-form-urlencoded']],
          // A step's answers, or the reopen form's reason.
          body: new URLSearchParams((base.body as Loose).data ?? base.body).toString(),
        }),
      ),
    );
  if (operation.security) {
    const tokens = fc.constantFrom(
      '',
      'Bearer',
      'Bearer x.y.z',
      'Basic YTpi',
      `Bearer ${staff}x`,
      `Bearer ${staff}, Bearer ${staff}`,
      `Bearer ${staff.split('.').slice(0, 2).join('.')}.`,
      `Bearer ${sys.token(ORG, 'school')}`,
    );
    faults.push(
      tokens.map((t) =>
        request(`authorization ${t.slice(0, 30)}`, {
          headers: [
            ['authorization', t],
            ['content-type', 'application/json'],
          ],
        }),
      ),
    );
    if (inPath.length > 0)
      faults.push(
        fc.constant(
          request('a token of another organisation', {
            headers: [
              ['authorization', `Bearer ${sys.token('another-org')}`],
              ['content-type', 'application/json'],
            ],
          }),
        ),
      );
  }
  if (method === 'GET' && faults.length === 0)
    faults.push(
      fc
        .dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 200 }), { maxKeys: 4 })
        .map((q) =>
          request(`junk query ${JSON.stringify(q).slice(0, 60)}`, {
            queryValues: Object.fromEntries(
              Object.entries(q).map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]),
            ),
          }),
        ),
    );
  return fc.oneof(...faults);
}

/** Messages to the SMS webhook: unsigned, wrongly signed, signed twice, or signed but not usable. */
function badMessages(operation: Loose): fc.Arbitrary<BadRequest> {
  const schema = operation.requestBody.content['application/x-www-form-urlencoded'].schema;
  const phone = (cases[0] as Created).phone;
  const signed = (form: Record<string, string>) =>
    createHmac('sha1', TWILIO_TOKEN)
      .update(
        Object.keys(form)
          .sort()
          .reduce((acc, k) => acc + k + form[k], `${sys.url}/sms/inbound`),
        'utf8',
      )
      .digest('base64');
  const message = (
    fault: string,
    form: Record<string, string>,
    signature: string[] | undefined = [signed(form)],
  ): BadRequest => ({
    fault,
    method: 'POST',
    path: '/sms/inbound',
    headers: [
      ['content-type', 'application/x-www-form-urlencoded'],
      ...(signature ?? []).map((s) => ['x-twilio-signature', s] as [string, string]),
    ],
    body: new URLSearchParams(form).toString(),
  });
  const sid = fc.stringMatching(/^SM[0-9a-f]{32}$/);
  const good = sid.map((MessageSid) => ({ From: phone, To: '+3197010000000', Body: 'JA', MessageSid }));
  return fc.oneof(
    good.map((form) => message('unsigned', form, [])),
    fc
      .tuple(good, fc.base64String({ minLength: 4, maxLength: 40 }))
      .map(([form, s]) => message('a wrong signature', form, [s])),
    good.map((form) => message('signed twice', form, [signed(form), signed(form)])),
    fc
      // A form field is text: what a client could send for a From that is not a phone number.
      .tuple(good, invalidFor(schema.properties.From, phone))
      .map(([form, value]) => {
        const From = typeof value === 'string' ? value : JSON.stringify(value);
        return message(`From ${From}`, { ...form, From });
      }),
    fc
      .tuple(good, fc.constantFrom('', 'x'.repeat(65), 'SM 1', 'SM/1', 'SM\u00001'))
      .map(([form, MessageSid]) =>
        message(`MessageSid ${JSON.stringify(MessageSid)}`, { ...form, MessageSid }),
      ),
    fc
      .tuple(good, fc.constantFrom('\u0000', '\u001b', '\u202e', '\u0007'))
      .map(([form, c]) =>
        message(`Body with U+${c.charCodeAt(0).toString(16)}`, { ...form, Body: `JA ${c}` }),
      ),
    good.map((form) => ({
      ...message('not a form', form),
      headers: [
        ['content-type', 'application/json'],
        ['x-twilio-signature', signed(form)],
      ] as [string, string][],
      body: JSON.stringify(form),
    })),
  );
}

async function send(req: BadRequest) {
  const headers = new Headers();
  for (const [name, value] of req.headers) headers.append(name, value);
  const res = await fetch(`${sys.url}${req.path}`, {
    method: req.method,
    headers,
    body: req.body as RequestInit['body'],
    redirect: 'manual',
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    problems: contract.check({
      method: req.method,
      path: req.path,
      status: res.status,
      headers: res.headers,
      text,
    }),
  };
}

const operations = () =>
  Object.entries(document.paths as Record<string, Loose>).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Loose>).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
    })),
  );

describe('the contract, attacked (bad requests derived from GET /openapi.json)', () => {
  it('answers every bad request of every route with a 4xx in the contract and changes nothing', async () => {
    const before = await snapshot();
    const seen: Record<string, Record<number, number>> = {};
    const timing: Record<string, number> = {};
    for (const { method, path, operation } of operations()) {
      const key = `${method} ${path}`;
      const requests =
        key === 'POST /sms/inbound' ? badMessages(operation) : badRequests(method, path, operation);
      seen[key] = {};
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(requests, async (req) => {
          const { status, text, problems } = await send(req);
          (seen[key] as Record<number, number>)[status] =
            ((seen[key] as Record<number, number>)[status] ?? 0) + 1;
          const what = `${key} (${req.fault}) → ${status} ${text.slice(0, 200)}`;
          expect(status, what).toBeLessThan(500);
          expect(problems, what).toEqual([]);
          if (key === 'POST /sms/inbound') expect(text, what).not.toContain('/c/');
          else if (path.startsWith('/console')) expect(status, what).toBeGreaterThanOrEqual(300);
          else if (method === 'POST') expect(status, what).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS, endOnFailure: true, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
      timing[key] = Date.now() - started;
    }
    console.log(JSON.stringify({ seen, timing }));
    expect(Object.keys(seen).length).toBe(operations().length);
    expect(await snapshot()).toEqual(before);
  }, 180_000);
});
