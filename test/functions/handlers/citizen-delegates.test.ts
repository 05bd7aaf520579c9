import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
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
import type { DelegateRecord } from '../../../functions/delegation/model';
import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/citizen-page';
import { errorCode, invoke } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { caseItem, stepItem } from './items';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// The delegates' routes of the citizen page and a helper's link, at the handler's edge with DynamoDB
// mocked: what only the citizen may do (403 DELEGATE_LINK), bad input (400), a forged form (403),
// unknown and withdrawn helpers (404, 409, 410), a step not handed over (403), and that neither the
// helper's name nor their link's secret is written anywhere in clear.

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const token = vault.linkToken('case1');
const helperToken = 'helper-link-token-0123456789abcdef';
const csrf = vault.hash(`csrf:${token}`);
const dataKey = newDataKey(vault, caseOwner('case1')).wrapped;
const conditionFailed = () =>
  Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });

function table(delegate: Partial<DelegateRecord> = {}) {
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: keys.link(sha256(token)) }).resolves({
    Item: { caseId: 'case1', expiresAt: '2099-01-01T00:00:00.000Z' },
  });
  ddb.on(GetCommand, { Key: keys.link(sha256(helperToken)) }).resolves({
    Item: { caseId: 'case1', delegateId: 'helper-1', expiresAt: '2099-01-01T00:00:00.000Z' },
  });
  ddb.on(GetCommand, { Key: keys.delegate('case1', 'helper-1') }).resolves({
    Item: {
      ...keys.delegate('case1', 'helper-1'),
      caseId: 'case1',
      delegateId: 'helper-1',
      steps: ['confirm-address'],
      createdAt: '2026-03-01T09:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
      ...delegate,
    },
  });
  // The service's context (an address) is personal data a helper sees: their look at it is logged.
  const contextEnc = caseCipher(vault, { caseId: 'case1', dataKey }).sealJson({ address: 'Dorpsstraat 1' });
  const head = caseItem({ dataKey, contextEnc });
  ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: head });
  ddb.on(GetCommand, { Key: keys.step('case1', 'confirm-address') }).resolves({ Item: stepItem() });
  ddb.on(QueryCommand).resolves({ Items: [head, stepItem()] });
  ddb.on(UpdateCommand).resolves({ Attributes: { ...stepItem(), status: 'DONE' } });
  ddb.on(PutCommand).resolves({});
  sfn.on(SendTaskSuccessCommand).resolves({});
}

beforeEach(() => table());
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

const call = (
  method: string,
  route: string,
  path: string,
  params: Record<string, string>,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  invoke(handler, {
    method,
    routeKey: `${method} ${route}`,
    path,
    pathParameters: params,
    headers:
      typeof body === 'string'
        ? { 'content-type': 'application/x-www-form-urlencoded', ...headers }
        : headers,
    body,
  });

const add = (body: unknown, t = token, headers: Record<string, string> = {}) =>
  call('POST', '/c/{linkToken}/delegates', `/c/${t}/delegates`, { linkToken: t }, body, headers);
const remove = (delegateId: string, t = token) =>
  call('DELETE', '/c/{linkToken}/delegates/{delegateId}', `/c/${t}/delegates/${delegateId}`, {
    linkToken: t,
    delegateId,
  });
const written = () =>
  JSON.stringify(
    [...ddb.commandCalls(PutCommand), ...ddb.commandCalls(UpdateCommand)].map((c) => c.args[0].input),
  );

describe('POST /c/{linkToken}/delegates', () => {
  it('adds a helper for the citizen: 201 with a link of its own; the name and secret never in clear', async () => {
    const res = await add({ name: 'Anna de Vries', steps: ['confirm-address'] });
    expect(res.statusCode, res.body).toBe(201);
    const link = String(res.json?.link);
    const secret = link.slice(link.lastIndexOf('/c/') + 3);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.json).toMatchObject({ steps: ['confirm-address'], expiresAt: '2099-06-01T09:00:00.000Z' });
    const link_ = ddb
      .commandCalls(PutCommand)
      .find((c) => c.args[0].input.Item?.pk === `LINK#${sha256(secret)}`);
    expect(link_?.args[0].input.Item).toMatchObject({ caseId: 'case1', delegateId: res.json?.delegateId });
    expect(written()).not.toContain('Anna');
    expect(written()).not.toContain(secret);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    for (const [body, field] of [
      [{ name: 'Anna', steps: ['plan-route'] }, 'steps'],
      [{ name: '', steps: 'all' }, 'name'],
      [{ name: 'A\u202Eb', steps: 'all' }, 'name'],
      [{ name: 'Anna', steps: 'all', expiresAt: '2000-01-01' }, 'expiresAt'],
      [{ name: 'Anna', steps: 'some' }, 'steps'],
    ] as const) {
      const res = await add(body, token, { accept: 'application/json' });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json?.error as { details?: { fields?: object } } | undefined;
      expect(error?.details?.fields).toHaveProperty(field);
    }
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a form without the page’s CSRF value (403), and takes one with it', async () => {
    const forged = await add('name=Mallory&all=yes');
    expect(forged.statusCode).toBe(403);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    const ok = await add(`_csrf=${encodeURIComponent(csrf)}&name=Els&step%3Aconfirm-address=yes`);
    expect(ok.statusCode).toBe(201);
    expect(ok.body).toContain('Link voor Els gemaakt');
  });

  it('gives the page’s form back (400) with what was typed and what to fix, in Dutch', async () => {
    const res = await add(`_csrf=${encodeURIComponent(csrf)}&name=Els&expiresAt=2001-01-01`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('De link is nog niet gemaakt');
    expect(res.body).toContain('Kies de hele zaak of minstens één van uw eigen stappen.');
    expect(res.body).toContain('value="Els"');
    // The form's one-time key: sent twice, the form adds one helper (delegation/delegates.ts).
    expect(res.body).toMatch(/name="_once" value="[A-Za-z0-9_-]{22}"/);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers 409 when the index moved on under every attempt (concurrent additions)', async () => {
    ddb.on(UpdateCommand, { Key: keys.case('case1') }).rejects(conditionFailed());
    const res = await add({ name: 'Anna', steps: 'all' });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('DELEGATES_BUSY');
  });
});

describe('what a helper’s link may not do', () => {
  it('adds no helper, withdraws none, exports nothing and reopens nothing: 403 DELEGATE_LINK', async () => {
    const tries = [
      await add({ name: 'B', steps: 'all' }, helperToken),
      await remove('helper-1', helperToken),
      await call(
        'GET',
        '/c/{linkToken}/export',
        `/c/${helperToken}/export`,
        { linkToken: helperToken },
        undefined,
        {
          accept: 'application/json',
        },
      ),
      await call(
        'POST',
        '/c/{linkToken}/reopen',
        `/c/${helperToken}/reopen`,
        { linkToken: helperToken },
        { reason: 'x' },
      ),
    ];
    for (const res of tries) {
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('DELEGATE_LINK');
    }
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers only the steps handed over (403 NOT_DELEGATED otherwise)', async () => {
    const res = await call(
      'POST',
      '/c/{linkToken}/steps/{stepId}',
      `/c/${helperToken}/steps/plan-route`,
      { linkToken: helperToken, stepId: 'plan-route' },
      { data: {} },
    );
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('NOT_DELEGATED');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('sees the case without the log or other helpers, and the look is logged as the helper’s', async () => {
    const res = await call(
      'GET',
      '/c/{linkToken}',
      `/c/${helperToken}`,
      { linkToken: helperToken },
      undefined,
      {
        accept: 'application/json',
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json?.processingLog).toEqual([]);
    expect(res.json?.delegates).toBeUndefined();
    const logged = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(logged).toEqual([
      expect.objectContaining({
        action: 'read',
        delegateId: 'helper-1',
        by: 'delegate:helper-1',
        org: 'gm0363',
      }),
    ]);
  });

  it('is gone once withdrawn (410 LINK_REVOKED) or expired (410 LINK_EXPIRED)', async () => {
    table({ revokedAt: '2026-03-02T09:00:00.000Z' });
    const revoked = await call('GET', '/c/{linkToken}', `/c/${helperToken}`, { linkToken: helperToken });
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('<!doctype html>');
    ddb.reset();
    table({ expiresAt: '2020-01-01T00:00:00.000Z' });
    const expired = await call(
      'GET',
      '/c/{linkToken}',
      `/c/${helperToken}`,
      { linkToken: helperToken },
      undefined,
      {
        accept: 'application/json',
      },
    );
    expect([expired.statusCode, errorCode(expired)]).toEqual([410, 'LINK_EXPIRED']);
  });
});

describe('DELETE /c/{linkToken}/delegates/{delegateId}', () => {
  it('withdraws: 200, and answers in JSON whatever the client accepts', async () => {
    const res = await remove('helper-1');
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ delegateId: 'helper-1', status: 'REVOKED' });
  });

  it('answers 400 for a malformed id, 404 for an unknown helper and 409 for a withdrawn one', async () => {
    expect((await remove('!!')).statusCode).toBe(400);
    const unknown = await remove('nobody-12345');
    expect([unknown.statusCode, unknown.headers['content-type']]).toEqual([
      404,
      'application/json; charset=utf-8',
    ]);
    ddb.on(UpdateCommand, { Key: keys.delegate('case1', 'helper-1') }).rejects(conditionFailed());
    const again = await remove('helper-1');
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'DELEGATE_REVOKED']);
  });
});

describe('the citizen’s export', () => {
  it('lists every helper the citizen gave a link, by name, withdrawn ones with when', async () => {
    const cipher = caseCipher(vault, { caseId: 'case1', dataKey });
    const helper = (id: string, name: string, over: Partial<DelegateRecord> = {}) => ({
      ...keys.delegate('case1', id),
      caseId: 'case1',
      delegateId: id,
      nameEnc: cipher.seal(name),
      steps: 'all',
      createdAt: '2026-03-01T09:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
      ...over,
    });
    const head = caseItem({ dataKey });
    ddb.on(QueryCommand).resolves({
      Items: [head, helper('h1', 'Anna'), helper('h2', 'Bob', { revokedAt: '2026-03-02T09:00:00.000Z' })],
    });
    const res = await call('GET', '/c/{linkToken}/export', `/c/${token}/export`, { linkToken: token });
    expect(res.statusCode).toBe(200);
    expect(res.json?.delegates).toEqual([
      expect.objectContaining({ delegateId: 'h1', name: 'Anna', steps: 'all' }),
      expect.objectContaining({ delegateId: 'h2', name: 'Bob', revokedAt: '2026-03-02T09:00:00.000Z' }),
    ]);
    expect(JSON.stringify(res.json)).not.toContain('nameEnc');
  });
});
