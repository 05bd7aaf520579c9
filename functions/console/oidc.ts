import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { UnauthenticatedError } from '../shared/errors';

// OAuth 2 authorization code flow with PKCE (S256) against the user pool's managed login, and the
// verification of the ID token it returns (RS256, the pool's JWKS). The local runtime serves the
// same endpoints for its own issuer, so this code has no local branch.

export interface OidcConfig {
  /** Base URL of the managed login, e.g. https://<prefix>.auth.<region>.amazoncognito.com */
  domain: string;
  clientId: string;
  issuer: string;
  callbackUrl: string;
  /** Where the managed login's /logout sends the browser: one of the client's allowed sign-out URLs. */
  logoutUrl: string;
  jwksUrl: string;
}

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
export type IdClaims = Record<string, unknown>;

export const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export function authorizeUrl(cfg: OidcConfig, p: { state: string; verifier: string; nonce: string }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: cfg.callbackUrl,
    scope: 'openid email profile',
    state: p.state,
    nonce: p.nonce,
    code_challenge: challengeOf(p.verifier),
    code_challenge_method: 'S256',
  });
  return `${cfg.domain}/oauth2/authorize?${q}`;
}

/** The managed login's /logout: ends the user pool's own session too, then back to `logoutUrl`. */
export function logoutUrl(cfg: OidcConfig): string {
  const q = new URLSearchParams({ client_id: cfg.clientId, logout_uri: cfg.logoutUrl });
  return `${cfg.domain}/logout?${q}`;
}

const refused = () => new UnauthenticatedError('Sign-in failed; please sign in again.');

/** The ID token for an authorization code (a public client: no secret, the PKCE verifier instead). */
export async function exchangeCode(
  cfg: OidcConfig,
  code: string,
  verifier: string,
  f: Fetch,
): Promise<string> {
  const res = await f(`${cfg.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cfg.clientId,
      code,
      redirect_uri: cfg.callbackUrl,
      code_verifier: verifier,
    }).toString(),
  });
  if (!res.ok) throw refused();
  const body = (await res.json()) as { id_token?: unknown };
  if (typeof body.id_token !== 'string') throw refused();
  return body.id_token;
}

/** The pool's signing keys, fetched once per container (again only for a kid it does not know). */
export class Jwks {
  private keys: Map<string, KeyObject> | undefined;
  constructor(
    private readonly url: string,
    private readonly f: Fetch,
  ) {}

  private async load(): Promise<Map<string, KeyObject>> {
    const res = await this.f(this.url);
    if (!res.ok) throw new Error(`JWKS ${this.url}: HTTP ${res.status}`);
    const { keys } = (await res.json()) as { keys: (JsonWebKey & { kid?: string })[] };
    return new Map(keys.map((k) => [String(k.kid), createPublicKey({ key: k, format: 'jwk' })]));
  }

  async key(kid: string): Promise<KeyObject | undefined> {
    this.keys ??= await this.load();
    if (!this.keys.has(kid)) this.keys = await this.load();
    return this.keys.get(kid);
  }
}

const part = (s: string) =>
  JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;

/** The claims of a valid ID token from this issuer for this client and sign-in (nonce); else 401. */
export async function verifyIdToken(
  token: string,
  cfg: OidcConfig,
  jwks: Jwks,
  nonce: string,
  nowSec: number,
): Promise<IdClaims> {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) throw refused();
  let header: Record<string, unknown>;
  let claims: IdClaims;
  try {
    header = part(h);
    claims = part(p);
  } catch {
    throw refused();
  }
  if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw refused();
  const key = await jwks.key(header.kid);
  if (!key || !verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) throw refused();
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const ok =
    claims.iss === cfg.issuer &&
    aud.includes(cfg.clientId) &&
    claims.token_use === 'id' &&
    claims.nonce === nonce &&
    typeof claims.exp === 'number' &&
    claims.exp > nowSec;
  if (!ok) throw refused();
  return claims;
}
