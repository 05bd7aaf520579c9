// The local issuer checks a token's signature once and remembers it: what it remembers must never
// let through a token the checks on every request (iss, aud, exp) or another signature refuse.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalIssuer } from '../../../local/runtime/jwt';

const dirs: string[] = [];
const issuerIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-jwt-'));
  dirs.push(dir);
  return LocalIssuer.open(dir, { issuer: 'https://local.test', audience: ['app'] });
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('LocalIssuer.verify', () => {
  const issuer = issuerIn();
  const NOW = 1_800_000_000;
  const token = issuer.sign({ sub: 'user-1' }, 60, NOW);

  it('accepts a token it signed, again and again, until it expires', () => {
    expect(issuer.verify(token, issuer.config, NOW)).toMatchObject({ sub: 'user-1' });
    expect(issuer.verify(token, issuer.config, NOW + 59)).toMatchObject({ sub: 'user-1' });
    expect(issuer.verify(token, issuer.config, NOW + 60)).toBeUndefined();
  });

  it('still checks the issuer and the audience of a token it has seen', () => {
    expect(issuer.verify(token, issuer.config, NOW)).toBeDefined();
    expect(issuer.verify(token, { issuer: 'https://other.test', audience: ['app'] }, NOW)).toBeUndefined();
    expect(issuer.verify(token, { issuer: 'https://local.test', audience: ['other'] }, NOW)).toBeUndefined();
  });

  it('refuses a seen token whose claims or signature were changed, and one of another key', () => {
    expect(issuer.verify(token, issuer.config, NOW)).toBeDefined();
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ iss: 'https://local.test', aud: 'app', sub: 'admin', exp: NOW + 60 }),
    );
    expect(
      issuer.verify(`${header}.${forged.toString('base64url')}.${signature}`, issuer.config, NOW),
    ).toBeUndefined();
    expect(issuer.verify(`${token.slice(0, -4)}AAAA`, issuer.config, NOW)).toBeUndefined();
    expect(issuerIn().verify(token, issuer.config, NOW)).toBeUndefined();
  });
});
