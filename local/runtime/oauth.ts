/**
 * The local stand-in for the user pool's managed login: a sign-in page without password (choose
 * organisation and kind) at the authorize URL, the token endpoint (authorization code + PKCE S256),
 * the JWKS and the /logout endpoint, all for the local issuer, so the console runs the same OAuth flow
 * as on AWS. As the user pool does, it sends a browser only to a URL the app client registered,
 * compared exactly (a callback URL for a code, a sign-out URL after /logout); anything else is a 400,
 * also a URL that does not parse. Its pages carry the system's security headers and CSP.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BASE_HEADERS, PAGE_CSP } from '../../functions/shared/security-headers';
import type { LocalIssuer } from './jwt';
import type { FunctionSpec } from './lambda';

export const OAUTH_PREFIX = '/local/oauth';
const KINDS = ['municipality', 'school', 'care-provider'];
const CODE_TTL_MS = 5 * 60_000;

/** What the stack registers on the user pool's app client: where the login may send a browser. */
export interface RegisteredClient {
  callbackUrls: string[];
  logoutUrls: string[];
}

interface PendingCode {
  claims: Record<string, string>;
  clientId: string;
  redirectUri: string;
  challenge: string;
  expires: number;
}

const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(q: URLSearchParams): string {
  const hidden = [...q.entries()]
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const kinds = KINDS.map((k) => `<option value="${k}">${k}</option>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Local sign-in</title></head>
<body><main><h1>Local sign-in (no password)</h1><p>This page stands in for the Cognito managed login of the embedded default.</p>
<form method="post" action="${OAUTH_PREFIX}/oauth2/authorize">${hidden}
<p><label for="org">Organisation id</label><br><input id="org" name="org" value="gm0363" required></p>
<p><label for="kind">Organisation kind</label><br><select id="kind" name="kind">${kinds}</select></p>
<p><label for="email">E-mail</label><br><input id="email" name="email" type="email" value="staff@example.nl" required></p>
<p><button type="submit">Sign in</button></p></form></main></body></html>`;
}

/** The value, when it is an absolute http(s) URL registered in `urls`, compared exactly. */
function registered(value: string | null, urls: string[] | undefined): string | undefined {
  if (!value || !urls?.includes(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

export class LocalOAuth {
  private readonly codes = new Map<string, PendingCode>();
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly jwk: Record<string, unknown>;

  constructor(
    private readonly issuer: LocalIssuer,
    dataDir: string,
    private readonly url: string,
  ) {
    // The issuer keeps its key in DATA_DIR (jwt.ts); the public half is published as the JWKS.
    const key = createPublicKey(createPrivateKey(readFileSync(join(dataDir, 'jwt-signing-key.pem'))));
    this.jwk = { ...key.export({ format: 'jwk' }), kid: 'local', alg: 'RS256', use: 'sig' };
  }

  /** An app client and the URLs the stack registered on it. */
  register(clientId: string, client: RegisteredClient): void {
    this.clients.set(clientId, client);
  }

  /**
   * The console function's environment, pointed at these endpoints instead of the user pool's. Its
   * client is registered with the URLs the stack registers on the user pool's app client: the same
   * values (`<publicUrl>/console/callback`, `<publicUrl>/console/signed-out`) as in its environment.
   */
  configure(functions: FunctionSpec[]): void {
    for (const f of functions) {
      if (f.env.COGNITO_DOMAIN === undefined) continue;
      f.env.COGNITO_DOMAIN = `${this.url}${OAUTH_PREFIX}`;
      f.env.JWKS_URL = `${this.url}${OAUTH_PREFIX}/.well-known/jwks.json`;
      f.env.ISSUER = this.issuer.config.issuer;
      const { CLIENT_ID, CALLBACK_URL, LOGOUT_URL } = f.env;
      if (CLIENT_ID)
        this.register(CLIENT_ID, {
          callbackUrls: CALLBACK_URL ? [CALLBACK_URL] : [],
          logoutUrls: LOGOUT_URL ? [LOGOUT_URL] : [],
        });
    }
  }

  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): ServerResponse {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.slice(OAUTH_PREFIX.length);
    const send = (status: number, type: string, text: string, headers: Record<string, string> = {}) =>
      res
        .writeHead(status, {
          ...BASE_HEADERS,
          'content-type': type,
          'content-security-policy': PAGE_CSP,
          ...headers,
        })
        .end(text);
    const json = (status: number, value: unknown) => send(status, 'application/json', JSON.stringify(value));
    const mismatch = () =>
      json(400, { error: 'invalid_request', error_description: 'redirect_mismatch: not a registered URL' });
    const client = (id: string | null) =>
      id && this.issuer.config.audience.includes(id) ? this.clients.get(id) : undefined;
    if (req.method === 'GET' && path === '/.well-known/jwks.json') return json(200, { keys: [this.jwk] });
    if (req.method === 'GET' && path === '/oauth2/authorize') {
      const q = url.searchParams;
      if (
        q.get('response_type') !== 'code' ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge')
      )
        return json(400, { error: 'invalid_request', error_description: 'code flow with PKCE S256 only' });
      const app = client(q.get('client_id'));
      if (!app) return json(400, { error: 'invalid_client' });
      if (!registered(q.get('redirect_uri'), app.callbackUrls)) return mismatch();
      return send(200, 'text/html; charset=utf-8', signInPage(q));
    }
    if (req.method === 'GET' && path === '/logout') {
      // The local login keeps no session of its own: nothing to end but the redirect, checked as AWS does.
      const app = client(url.searchParams.get('client_id'));
      if (!app) return json(400, { error: 'invalid_client' });
      const back = registered(url.searchParams.get('logout_uri'), app.logoutUrls);
      return back ? send(302, 'text/plain', '', { location: back }) : mismatch();
    }
    const form = new URLSearchParams(body.toString('utf8'));
    if (req.method === 'POST' && path === '/oauth2/authorize') {
      const org = form.get('org')?.trim() ?? '';
      const kind = form.get('kind') ?? '';
      if (!org || !KINDS.includes(kind)) return json(400, { error: 'invalid_request' });
      const app = client(form.get('client_id'));
      if (!app) return json(400, { error: 'invalid_client' });
      const redirectUri = registered(form.get('redirect_uri'), app.callbackUrls);
      if (!redirectUri) return mismatch();
      const code = randomBytes(24).toString('base64url');
      const email = form.get('email')?.trim() || `staff@${org}.example`;
      this.codes.set(code, {
        claims: {
          sub: `local-${createHash('sha256').update(email).digest('hex').slice(0, 12)}`,
          email,
          'custom:org': org,
          'custom:orgKind': kind,
          ...(form.get('nonce') && { nonce: form.get('nonce') as string }),
        },
        clientId: form.get('client_id') ?? '',
        redirectUri,
        challenge: form.get('code_challenge') ?? '',
        expires: this.issuer.now() + CODE_TTL_MS, // the issuer's clock: the engine's
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      if (form.get('state')) back.searchParams.set('state', form.get('state') as string);
      return send(302, 'text/plain', '', { location: back.toString() });
    }
    if (req.method === 'POST' && path === '/oauth2/token') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code); // one use, right or wrong
      const verifier = form.get('code_verifier') ?? '';
      const ok =
        pending &&
        pending.expires > this.issuer.now() &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === pending.clientId &&
        form.get('redirect_uri') === pending.redirectUri &&
        createHash('sha256').update(verifier).digest('base64url') === pending.challenge;
      if (!ok) return json(400, { error: 'invalid_grant' });
      const idToken = this.issuer.sign(pending.claims, 3600);
      return json(200, { id_token: idToken, access_token: idToken, token_type: 'Bearer', expires_in: 3600 });
    }
    return json(404, { error: 'not_found' });
  }
}
