import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { sealSession } from '../../../functions/console/session';
import { PiiVault } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/console';
import { httpEvent, lambdaContext } from '../../support/http-event';
import { caseItem } from '../handlers/items';

vi.hoisted(() => {
  process.env.COGNITO_DOMAIN = 'https://coproduce-test.auth.eu-west-1.amazoncognito.com';
  process.env.CLIENT_ID = 'client-1';
  process.env.ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test';
  process.env.CALLBACK_URL = 'https://coproduce.example.nl/console/callback';
});

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const vault = new PiiVault(process.env.PII_KEY as string);
const cookie = () =>
  `cp_session=${sealSession(vault, {
    sub: 'staff-1',
    org: 'gm0363',
    orgKind: 'municipality',
    sid: 'sid-0123456789abcdef',
    exp: Math.floor(Date.now() / 1000) + 600,
  })}`;

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
      '/console/login',
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

  it('switches to English and remembers it in a cookie', async () => {
    const res = (await call('/console', [cookie()], { lang: 'en' })) as { body: string; cookies?: string[] };
    expect(res.body).toContain('<html lang="en"');
    expect(res.cookies).toContainEqual(expect.stringMatching(/^cp_lang=en; Path=\/console;/));
    const again = await call('/console', [cookie(), 'cp_lang=en']);
    expect(again.body).toContain('Caseworker console');
  });
});
