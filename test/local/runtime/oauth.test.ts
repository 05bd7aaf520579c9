import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeOf, Jwks, type OidcConfig, verifyIdToken } from '../../../functions/console/oidc';
import { BASE_HEADERS, PAGE_CSP } from '../../../functions/shared/security-headers';
import { LocalIssuer } from '../../../local/runtime/jwt';
import type { FunctionSpec } from '../../../local/runtime/lambda';
import { LocalOAuth } from '../../../local/runtime/oauth';
import { readBody } from '../../../local/runtime/services';

// The local managed login against the console's own client code: what the console verifies on AWS
// it verifies here, with the local issuer's keys.

let server: Server;
let url = '';
let dir = '';
let oauth: LocalOAuth;
const issuerConfig = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_local',
  audience: ['client-1'],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coproduce-oauth-'));
  const issuer = LocalIssuer.open(dir, issuerConfig);
  server = createServer(async (req, res) => {
    oauth.handle(req, (await readBody(req)) ?? Buffer.alloc(0), res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  oauth = new LocalOAuth(issuer, dir, url);
  oauth.register('client-1', { callbackUrls: [cfg().callbackUrl], logoutUrls: [cfg().logoutUrl] });
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

const cfg = (): OidcConfig => ({
  domain: `${url}/local/oauth`,
  clientId: 'client-1',
  issuer: issuerConfig.issuer,
  callbackUrl: `${url}/console/callback`,
  logoutUrl: `${url}/console/signed-out`,
  jwksUrl: `${url}/local/oauth/.well-known/jwks.json`,
});

async function signIn(verifier: string, kind = 'school') {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: 'client-1',
    redirect_uri: cfg().callbackUrl,
    state: 'st-1',
    nonce: 'no-1',
    code_challenge: challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  const page = await fetch(`${cfg().domain}/oauth2/authorize?${q}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<label for="org">');
  const res = await fetch(`${cfg().domain}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...Object.fromEntries(q),
      org: 'brin-12ab',
      kind,
      email: 'juf@school.nl',
    }).toString(),
  });
  const back = new URL(res.headers.get('location') as string);
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code') as string;
}

const token = (code: string, verifier: string) =>
  fetch(`${cfg().domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      code,
      redirect_uri: cfg().callbackUrl,
      code_verifier: verifier,
    }).toString(),
  });

describe('local managed login', () => {
  it('issues an ID token the console verifies against the local JWKS', async () => {
    const code = await signIn('verifier-1');
    const res = await token(code, 'verifier-1');
    expect(res.status).toBe(200);
    const { id_token } = (await res.json()) as { id_token: string };
    const claims = await verifyIdToken(
      id_token,
      cfg(),
      new Jwks(cfg().jwksUrl, fetch),
      'no-1',
      Date.now() / 1000,
    );
    expect(claims).toMatchObject({
      'custom:org': 'brin-12ab',
      'custom:orgKind': 'school',
      email: 'juf@school.nl',
    });
  });

  it('checks the PKCE verifier and takes each code once', async () => {
    const code = await signIn('verifier-2');
    expect((await token(code, 'wrong-verifier')).status).toBe(400);
    expect((await token(code, 'verifier-2')).status).toBe(400); // burnt by the failed attempt
    const again = await signIn('verifier-3');
    expect((await token(again, 'verifier-3')).status).toBe(200);
    expect((await token(again, 'verifier-3')).status).toBe(400);
  });

  it('refuses a flow without S256, an unknown client and an unknown kind', async () => {
    const plain = new URLSearchParams({ response_type: 'code', client_id: 'client-1', code_challenge: 'x' });
    expect((await fetch(`${cfg().domain}/oauth2/authorize?${plain}`)).status).toBe(400);
    plain.set('code_challenge_method', 'S256');
    plain.set('client_id', 'client-2');
    expect((await fetch(`${cfg().domain}/oauth2/authorize?${plain}`)).status).toBe(400);
    const bad = await fetch(`${cfg().domain}/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ org: 'x', kind: 'bank', redirect_uri: cfg().callbackUrl }).toString(),
    });
    expect(bad.status).toBe(400);
  });

  it('sends a code only to a registered callback URL, compared exactly; anything else is a 400, never a 500', async () => {
    const callback = cfg().callbackUrl;
    const host = new URL(url).host;
    const crafted = [
      `http://${host}@evil.example/`,
      `http://${host}@evil.example/console/callback`,
      `${callback}/`,
      `${callback}?next=https://evil.example`,
      `${callback}#x`,
      callback.toUpperCase(),
      `${url}/console/callbackx`,
      'http://[bad',
      'http://%zz',
      '::::',
      '',
    ];
    const query = (redirect: string) =>
      new URLSearchParams({
        response_type: 'code',
        client_id: 'client-1',
        redirect_uri: redirect,
        code_challenge: 'x',
        code_challenge_method: 'S256',
      });
    for (const redirect of crafted) {
      const page = await fetch(`${cfg().domain}/oauth2/authorize?${query(redirect)}`);
      expect(page.status, redirect).toBe(400);
      const post = await fetch(`${cfg().domain}/oauth2/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...Object.fromEntries(query(redirect)),
          org: 'x',
          kind: 'school',
        }).toString(),
      });
      expect(post.status, redirect).toBe(400);
      expect(post.headers.get('location')).toBeNull();
    }
  });

  it('serves its pages with the security headers and CSP of every other page', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: cfg().callbackUrl,
      code_challenge: 'x',
      code_challenge_method: 'S256',
    });
    const page = await fetch(`${cfg().domain}/oauth2/authorize?${q}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    for (const [name, value] of Object.entries(BASE_HEADERS))
      expect(page.headers.get(name), name).toBe(value);
    const refused = await fetch(`${cfg().domain}/oauth2/authorize?${q}&client_id=client-2`);
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
  });

  it('/logout returns the browser only to a registered sign-out URL of the client', async () => {
    const logout = (q: Record<string, string>) =>
      fetch(`${cfg().domain}/logout?${new URLSearchParams(q)}`, { redirect: 'manual' });
    const ok = await logout({ client_id: 'client-1', logout_uri: cfg().logoutUrl });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe(cfg().logoutUrl);
    const refused: Record<string, string>[] = [
      { client_id: 'client-1', logout_uri: 'https://evil.example/' },
      { client_id: 'client-1', logout_uri: cfg().callbackUrl },
      { client_id: 'client-1' },
      { client_id: 'client-2', logout_uri: cfg().logoutUrl },
    ];
    for (const q of refused) expect((await logout(q)).status, JSON.stringify(q)).toBe(400);
  });

  it("points only the console function's environment at these endpoints", () => {
    const spec = (env: Record<string, string>) => ({ env }) as FunctionSpec;
    const consoleFn = spec({ COGNITO_DOMAIN: 'https://x.auth.eu-west-1.amazoncognito.com', ISSUER: 'i' });
    const other = spec({ TABLE_NAME: 't' });
    oauth.configure([consoleFn, other]);
    expect(consoleFn.env).toEqual({
      COGNITO_DOMAIN: `${url}/local/oauth`,
      JWKS_URL: `${url}/local/oauth/.well-known/jwks.json`,
      ISSUER: issuerConfig.issuer,
    });
    expect(other.env).toEqual({ TABLE_NAME: 't' });
  });
});
