import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { manifestRoutes, openApiDocument } from '../../../functions/contract/document';
import { ROUTES } from '../../../functions/contract/routes';
import { handler } from '../../../functions/handlers/openapi';
import { invoke } from '../../support/http-event';
import { ResponseContract } from '../../support/openapi-responses';

// biome-ignore lint/suspicious/noExplicitAny: the test reads deep into the generated document
type Loose = any;
const document = openApiDocument('https://coproduce.example.nl') as Loose;
const contract = new ResponseContract(document);

/** Every schema object in the document (parameters, bodies, answers). */
function schemas(): [string, object][] {
  const found: [string, object][] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Loose>))
    for (const [method, op] of Object.entries(item as Record<string, Loose>)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters) found.push([`${at} ${p.in} ${p.name}`, p.schema]);
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
        found.push([`${at} body ${type}`, (media as Loose).schema]);
      for (const [status, answer] of Object.entries(op.responses as Record<string, Loose>))
        for (const [type, media] of Object.entries(answer.content ?? {}))
          found.push([`${at} ${status} ${type}`, (media as Loose).schema]);
    }
  return found;
}

const response = (status: number, body: unknown, type = 'application/json') => ({
  status,
  headers: new Headers({ 'content-type': type }),
  text: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('the OpenAPI document', () => {
  it('has every route of the function manifest, and no other', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(
      manifestRoutes()
        .map((r) => r.key)
        .sort(),
    );
    const operations = Object.entries(document.paths as Record<string, object>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      manifestRoutes()
        .map((r) => `${r.route.method} ${r.route.path.replace('{proxy+}', '{proxy}')}`)
        .sort(),
    );
  });

  it('is OpenAPI 3.1 whose every schema is valid JSON Schema 2020-12', () => {
    expect(document.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const all = schemas();
    expect(all.length).toBeGreaterThan(60);
    for (const [where, schema] of all) expect(() => ajv.compile(schema), where).not.toThrow();
  });

  it("carries the edge schemas' rules: the one input policy, single headers, bounded cursors", () => {
    const post = document.paths['/cases'].post;
    const body = post.requestBody.content['application/json'].schema;
    expect(post.requestBody.required).toBe(true);
    expect(body.required).toEqual(['serviceId', 'citizen']);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.reference).toMatchObject({
      maxLength: 100,
      description: expect.stringMatching(/control/),
    });
    const key = post.parameters.find((p: Loose) => p.name === 'idempotency-key');
    expect(new RegExp(key.schema.pattern, 'u').test('k1,k2')).toBe(false);
    const cursor = document.paths['/cases'].get.parameters.find((p: Loose) => p.name === 'cursor');
    expect(cursor.schema.maxLength).toBeGreaterThan(0);
    expect(document.paths['/cases/{caseId}'].get.security).toEqual([{ staff: [] }]);
    expect(document.paths['/services'].get.security).toBeUndefined();
  });
});

describe('holding a response to the document', () => {
  const caseItem = {
    caseId: 'a'.repeat(32),
    serviceId: 'waste-collection',
    status: 'ACTIVE',
    createdAt: '2026-11-30T05:00:00.000Z',
    updatedAt: '2026-11-30T05:00:00.000Z',
  };

  it('accepts what the contract says, with further properties', () => {
    const list = { items: [{ ...caseItem, later: 'a new field' }], cursor: 'x' };
    expect(contract.check({ method: 'GET', path: '/cases?serviceId=x', ...response(200, list) })).toEqual([]);
    const gateway = response(503, { message: 'Service Unavailable' });
    expect(contract.check({ method: 'GET', path: '/cases', ...gateway })).toEqual([]);
    expect(contract.check({ method: 'GET', path: '/local/outbox', ...response(200, {}) })).toEqual([]);
    expect(
      contract.check({ method: 'GET', path: '/c/assets/app.css', ...response(200, 'a{}', 'text/css') }),
    ).toEqual([]);
  });

  it('refuses an undocumented status, a 5xx of the function itself, a wrong type, a leaked task token', () => {
    const check = (method: string, path: string, r: ReturnType<typeof response>) =>
      contract.check({ method, path, ...r }).join('\n');
    expect(check('GET', '/cases/abc', response(418, {}))).toMatch(/not in the contract/);
    expect(check('GET', '/cases/abc', response(500, { error: { code: 'INTERNAL', message: 'x' } }))).toMatch(
      /message/,
    );
    expect(check('GET', '/services', response(200, '<p>', 'text/html'))).toMatch(/text\/html is not one of/);
    const step = {
      caseId: 'c',
      stepId: 's',
      actor: 'provider',
      status: 'DONE',
      visit: 1,
      openedAt: caseItem.createdAt,
      dueAt: caseItem.createdAt,
      expiresAt: caseItem.createdAt,
    };
    expect(check('POST', '/cases/c/steps/s', response(200, { step }))).toBe('');
    expect(check('POST', '/cases/c/steps/s', response(200, { step: { ...step, taskToken: 't' } }))).toMatch(
      /taskToken/,
    );
    expect(check('POST', '/c/tok/steps/s', { ...response(303, ''), headers: new Headers() })).toMatch(
      /Location/,
    );
  });
});

describe('GET /openapi.json', () => {
  it('serves the document, which holds for its own answer', async () => {
    const res = await invoke(handler, { path: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual(openApiDocument(process.env.PUBLIC_URL as string));
    const headers = new Headers(res.headers as Record<string, string>);
    expect(
      contract.check({ method: 'GET', path: '/openapi.json', status: 200, headers, text: res.body ?? '' }),
    ).toEqual([]);
  });
});
