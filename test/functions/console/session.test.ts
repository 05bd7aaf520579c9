import { describe, expect, it } from 'vitest';
import {
  csrfToken,
  openLogin,
  openSession,
  readCookie,
  sealLogin,
  sealSession,
  setCookie,
} from '../../../functions/console/session';
import { PiiVault } from '../../../functions/domain/pii';
import { nowSec, session } from './support';

const vault = new PiiVault('console-test-key-0123456789abcdefghijklmnop');

describe('console session cookie', () => {
  it('round-trips the staff identity', () => {
    expect(openSession(vault, sealSession(vault, session()), nowSec)).toEqual(session());
  });

  it('refuses a tampered payload, a tampered MAC, another key and an expired session', () => {
    const sealed = sealSession(vault, session());
    const [body, mac] = sealed.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...session(), org: 'gm0999' })).toString('base64url');
    expect(openSession(vault, `${forged}.${mac}`, nowSec)).toBeUndefined();
    expect(openSession(vault, `${body}.${mac.slice(1)}x`, nowSec)).toBeUndefined();
    const other = new PiiVault('another-key-0123456789abcdefghijklmnopqrst');
    expect(openSession(other, sealed, nowSec)).toBeUndefined();
    expect(openSession(vault, sealed, session().exp)).toBeUndefined();
    expect(openSession(vault, 'garbage', nowSec)).toBeUndefined();
  });

  it('never accepts a login cookie as a session (the purpose is part of the MAC)', () => {
    const login = sealLogin(vault, { state: 's', verifier: 'v', nonce: 'n', exp: nowSec + 60 });
    expect(openLogin(vault, login, nowSec)).toMatchObject({ state: 's' });
    expect(openSession(vault, login, nowSec)).toBeUndefined();
  });

  it('binds the CSRF token to the sign-in', () => {
    expect(csrfToken(vault, session())).toBe(csrfToken(vault, session()));
    expect(csrfToken(vault, session({ sid: 'sid-another-one-1234' }))).not.toBe(csrfToken(vault, session()));
  });

  it('writes HttpOnly, SameSite=Lax cookies, Secure unless told otherwise', () => {
    expect(setCookie('a', 'b', { path: '/console', secure: true, maxAge: 60 })).toBe(
      'a=b; Path=/console; Max-Age=60; HttpOnly; SameSite=Lax; Secure',
    );
    expect(setCookie('a', 'b', { path: '/console', secure: false, maxAge: 0 })).not.toContain('Secure');
    expect(readCookie(['x=1', 'cp_session=abc.def'], 'cp_session')).toBe('abc.def');
    expect(readCookie(['x=1; y=2'], 'y')).toBe('2');
    expect(readCookie(undefined, 'y')).toBeUndefined();
  });
});
