import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { ConsoleDeps, ConsoleRequest } from '../../../functions/console/deps';
import { Jwks, type OidcConfig } from '../../../functions/console/oidc';
import {
  type Session,
  type SessionStore,
  type StoredSession,
  sealSession,
  sessionKey,
} from '../../../functions/console/session';
import { PiiVault } from '../../../functions/domain/pii';
import { services } from '../../../workflows/catalog';
import { FakeEngine, FakeRepository, fixedClock } from '../../support/fakes';
import { MemoryReportTally } from '../reports/memory-tally';
import { ConsoleRoundRepository } from './round-fakes';

// A console wired to in-memory ports and a test identity provider (RSA key, JWKS, token endpoint).

export const NOW = '2026-03-02T09:00:00.000Z';
export const nowSec = Date.parse(NOW) / 1000;

export const oidc: OidcConfig = {
  domain: 'https://login.example.nl',
  clientId: 'client-1',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test',
  callbackUrl: 'https://api.example.nl/console/callback',
  logoutUrl: 'https://api.example.nl/console/signed-out',
  jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test/.well-known/jwks.json',
};

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

export class TestIdp {
  readonly key: KeyObject;
  readonly jwk: Record<string, unknown>;
  jwksFetches = 0;
  tokenRequests: URLSearchParams[] = [];
  /** The ID token the token endpoint hands out next. */
  nextIdToken = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = privateKey;
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };
  }

  token(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' },
  ): string {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.key).toString('base64url')}`;
  }

  claims(over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      iss: oidc.issuer,
      aud: oidc.clientId,
      token_use: 'id',
      sub: 'staff-1',
      email: 'anna@gm0363.nl',
      'custom:org': 'gm0363',
      'custom:orgKind': 'municipality',
      nonce: 'n-1',
      exp: nowSec + 3600,
      ...over,
    };
  }

  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    if (url === oidc.jwksUrl) {
      this.jwksFetches++;
      return Response.json({ keys: [this.jwk] });
    }
    if (url === `${oidc.domain}/oauth2/token` && init?.method === 'POST') {
      this.tokenRequests.push(new URLSearchParams(String(init.body)));
      return Response.json({ id_token: this.nextIdToken, token_type: 'Bearer' });
    }
    return new Response('not found', { status: 404 });
  };
}

/** The server side of console sessions, in memory, like the table's items. */
export class MemorySessions implements SessionStore {
  readonly items = new Map<string, StoredSession>();
  async put(key: string, session: StoredSession) {
    this.items.set(key, { ...session });
  }
  async get(key: string) {
    const found = this.items.get(key);
    return found && { ...found };
  }
  async delete(key: string) {
    this.items.delete(key);
  }
  /** Test helper: a signed-in session, as finishLogin leaves it. */
  keep(vault: PiiVault, session: Session): void {
    const { sub, org, orgKind, exp } = session;
    this.items.set(sessionKey(vault, session), { sub, org, orgKind, exp });
  }
}

export function makeDeps(idp = new TestIdp()) {
  const repo = new FakeRepository();
  const rounds = new ConsoleRoundRepository();
  const engine = new FakeEngine();
  const sessions = new MemorySessions();
  const vault = new PiiVault('console-test-key-0123456789abcdefghijklmnop');
  const deps: ConsoleDeps = {
    repo,
    reopener: repo,
    notifier: { sendSms: async () => {} },
    log: repo,
    eraser: repo,
    rounds,
    engine,
    sessions,
    clock: fixedClock(NOW),
    vault,
    publicUrl: 'https://api.example.nl',
    linkTtlDays: 90,
    retentionDays: 365,
    oidc,
    jwks: new Jwks(oidc.jwksUrl, idp.fetch),
    fetch: idp.fetch,
    services,
    tally: new MemoryReportTally(),
  };
  return { deps, repo, rounds, engine, vault, idp, sessions };
}

export function session(over: Partial<Session> = {}): Session {
  return {
    sub: 'staff-1',
    email: 'anna@gm0363.nl',
    org: 'gm0363',
    orgKind: 'municipality',
    sid: 'sid-0123456789abcdef',
    exp: nowSec + 3600,
    ...over,
  };
}

/**
 * A request with the session's cookie. The session counts as signed in (held by the store) unless
 * `signedIn: false`: a cookie whose session the server no longer holds.
 */
export function request(
  deps: ConsoleDeps,
  over: Partial<ConsoleRequest> & { session?: Session | null; signedIn?: boolean } = {},
): ConsoleRequest {
  const { signedIn = true, ...rest } = over;
  const s = rest.session === undefined ? session() : rest.session;
  if (s && signedIn && deps.sessions instanceof MemorySessions) deps.sessions.keep(deps.vault, s);
  over = rest;
  return {
    method: 'GET',
    rel: '',
    query: {},
    body: {},
    cookies: s ? [`cp_session=${sealSession(deps.vault, s)}`] : undefined,
    locale: 'nl',
    ...over,
  };
}
