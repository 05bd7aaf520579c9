import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { sealSession, sessionKey } from '../../../functions/console/session';
import { PiiVault } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/console';
import { httpEvent, lambdaContext } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';
import { caseItem } from '../handlers/items';
import { roundRecord } from './round-fakes';

vi.hoisted(() => {
  process.env.COGNITO_DOMAIN = 'https://coproduce-test.auth.eu-west-1.amazoncognito.com';
  process.env.CLIENT_ID = 'client-1';
  process.env.ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test';
  process.env.CALLBACK_URL = 'https://coproduce.example.nl/console/callback';
  process.env.LOGOUT_URL = 'https://coproduce.example.nl/console/signed-out';
});

const ddb = mockClient(DynamoDBDocumentClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const staff = {
  sub: 'staff-1',
  org: 'gm0363',
  orgKind: 'municipality' as const,
  sid: 'sid-0123456789abcdef',
  exp: Math.floor(Date.now() / 1000) + 600,
};
const cookie = () => `cp_session=${sealSession(vault, staff)}`;
const sessionItemKey = keys.session(sessionKey(vault, staff));
// The session the cookie names, as the table holds it after the sign-in.
const signedIn = () =>
  ddb.on(GetCommand, { Key: sessionItemKey }).resolves({
    Item: { ...sessionItemKey, sub: staff.sub, org: staff.org, orgKind: staff.orgKind, exp: staff.exp },
  });
beforeEach(signedIn);
afterEach(() => ddb.reset());

function call(path: string, cookies?: string[], query?: Record<string, string>) {
  const proxy = path.replace(/^\/console\/?/, '');
  const event = httpEvent({
    path,
    routeKey: proxy ? 'GET /console/{proxy+}' : 'GET /console',
    ...(proxy && { pathParameters: { proxy } }),
    ...(query && { query }),
  });
  return handler({ ...event, ...(cookies && { cookies }) }, lambdaContext);
}

describe('console handler', () => {
  it('redirects to the sign-in without a session or with a tampered one', async () => {
    expect(await call('/console')).toMatchObject({
      statusCode: 302,
      headers: { location: '/console/login' },
    });
    const tampered = cookie().replace('.', '.x');
    expect((await call('/console/services/waste-collection', [tampered])).headers.location).toBe(
      '/console/login?next=%2Fservices%2Fwaste-collection',
    );
  });

  it('starts the managed login of the user pool with PKCE, on Secure cookies', async () => {
    const res = (await call('/console/login')) as { headers: Record<string, string>; cookies?: string[] };
    const url = new URL(res.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://coproduce-test.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
    );
    expect(url.searchParams.get('redirect_uri')).toBe('https://coproduce.example.nl/console/callback');
    expect(res.cookies?.[0]).toMatch(/HttpOnly; SameSite=Lax; Secure$/);
  });

  it("answers another organisation's case with a 404 page, exactly like a missing one", async () => {
    ddb.on(GetCommand, { Key: keys.case('case1') }).resolves({ Item: caseItem({ org: 'gm0999' }) });
    ddb.on(GetCommand, { Key: keys.case('case2') }).resolves({});
    const other = await call('/console/cases/case1', [cookie()]);
    const missing = await call('/console/cases/case2', [cookie()]);
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toMatch(/^text\/html/);
    expect(other.body).toBe(missing.body);
  });

  it("reads a round through the DynamoDB round repository; another organisation's is a 404", async () => {
    const mine = roundRecord({ roundId: 'b'.repeat(32), status: 'REJECTED', error: 'The file is empty.' });
    const theirs = roundRecord({ roundId: 'c'.repeat(32), org: 'gm0999' });
    for (const r of [mine, theirs])
      ddb
        .on(GetCommand, { Key: keys.round(r.roundId) })
        .resolves({ Item: { ...keys.round(r.roundId), ...r } });
    ddb.on(GetCommand, { Key: keys.round('d'.repeat(32)) }).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    const page = await call(`/console/rounds/${mine.roundId}`, [cookie()]);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Ronde: Wijk Noord 2026</h1>');
    expect(page.body).toContain('<p lang="en">The file is empty.</p>');
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ROUND#${mine.roundId}`, ':prefix': 'ERROR#' },
    });
    const other = await call(`/console/rounds/${theirs.roundId}`, [cookie()]);
    const missing = await call(`/console/rounds/${'d'.repeat(32)}`, [cookie()]);
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
  });

  it('reads the session from the table on every request: a deleted one sends the browser to sign in', async () => {
    ddb.on(GetCommand, { Key: sessionItemKey }).resolves({});
    const res = await call('/console', [cookie()]);
    expect(res.headers.location).toBe('/console/login');
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: sessionItemKey, ConsistentRead: true });
  });

  it('switches to English and remembers it in a cookie', async () => {
    const res = (await call('/console', [cookie()], { lang: 'en' })) as { body: string; cookies?: string[] };
    expect(res.body).toContain('<html lang="en"');
    expect(res.cookies).toContainEqual(expect.stringMatching(/^cp_lang=en; Path=\/console;/));
    const again = await call('/console', [cookie(), 'cp_lang=en']);
    expect(again.body).toContain('Caseworker console');
  });
});
