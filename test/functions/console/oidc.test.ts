import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  challengeOf,
  exchangeCode,
  Jwks,
  verifyIdToken,
} from '../../../functions/console/oidc';
import { UnauthenticatedError } from '../../../functions/shared/errors';
import { nowSec, oidc, TestIdp } from './support';

describe('OAuth code flow with PKCE', () => {
  it('asks for a code with an S256 challenge of the verifier, state and nonce', () => {
    const url = new URL(authorizeUrl(oidc, { state: 'st', verifier: 'ver', nonce: 'no' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://login.example.nl/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: oidc.callbackUrl,
      scope: 'openid email profile',
      state: 'st',
      nonce: 'no',
      code_challenge: challengeOf('ver'),
      code_challenge_method: 'S256',
    });
    // S256: base64url(SHA-256(verifier)), never the verifier itself.
    expect(challengeOf('ver')).toBe(createHash('sha256').update('ver').digest('base64url'));
  });

  it('exchanges the code with the verifier and no secret', async () => {
    const idp = new TestIdp();
    idp.nextIdToken = 'the-id-token';
    expect(await exchangeCode(oidc, 'code-1', 'ver', idp.fetch)).toBe('the-id-token');
    expect(Object.fromEntries(idp.tokenRequests[0] ?? [])).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      code: 'code-1',
      redirect_uri: oidc.callbackUrl,
      code_verifier: 'ver',
    });
  });

  it('refuses a failed exchange with a 401 error', async () => {
    const fail = async () => new Response('{"error":"invalid_grant"}', { status: 400 });
    await expect(exchangeCode(oidc, 'c', 'v', fail)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});

describe('ID token verification', () => {
  const idp = new TestIdp();
  const jwks = new Jwks(oidc.jwksUrl, idp.fetch);
  const check = (token: string, nonce = 'n-1') => verifyIdToken(token, oidc, jwks, nonce, nowSec);

  it('accepts a token of this pool for this client and sign-in, fetching the keys once', async () => {
    await expect(check(idp.token(idp.claims()))).resolves.toMatchObject({ 'custom:org': 'gm0363' });
    await check(idp.token(idp.claims()));
    expect(idp.jwksFetches).toBe(1);
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['another client', { aud: 'client-2' }],
    ['an access token', { token_use: 'access' }],
    ['an expired token', { exp: nowSec - 1 }],
    ['another nonce', { nonce: 'n-2' }],
  ])('refuses %s', async (_label, over) => {
    await expect(check(idp.token(idp.claims(over)))).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a forged signature, another algorithm and an unknown key', async () => {
    const good = idp.token(idp.claims());
    const [h, , s] = good.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(idp.claims({ 'custom:org': 'gm0999' }))).toString('base64url')}.${s}`;
    await expect(check(forged)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(check(idp.token(idp.claims(), { alg: 'HS256', kid: 'k1' }))).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    await expect(check(idp.token(idp.claims(), { alg: 'RS256', kid: 'k9' }))).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
    await expect(check('not-a-jwt')).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
