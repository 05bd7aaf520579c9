import { providerOf } from '../domain/access';
import { html } from '../shared/http';
import { basePath, type ConsoleDeps, type ConsoleRequest, type ConsoleResult, secureCookies } from './deps';
import { consolePage } from './layout';
import { authorizeUrl, exchangeCode, logoutUrl, verifyIdToken } from './oidc';
import { safeReturn } from './return-path';
import {
  LOGIN_COOKIE,
  liveSession,
  openLogin,
  randomToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_SECONDS,
  type Session,
  sealLogin,
  sealSession,
  sessionKey,
  setCookie,
} from './session';

// Sign-in and sign-out: /console/login sends the browser to the managed login with PKCE;
// /console/callback exchanges the code, verifies the ID token, stores the session and sets its
// cookie. POST /console/logout removes the session (its cookie and CSRF token then open nothing),
// then sends the browser through the managed login's /logout, which ends the user pool's session
// too, back to /console/signed-out.

const LOGIN_SECONDS = 600;
const nowSec = (deps: ConsoleDeps) => Math.floor(deps.clock.now().getTime() / 1000);
const cookieOpts = (deps: ConsoleDeps, maxAge: number) => ({
  path: basePath(deps),
  secure: secureCookies(deps),
  maxAge,
});

export function currentSession(deps: ConsoleDeps, req: ConsoleRequest): Promise<Session | undefined> {
  return liveSession(deps.vault, deps.sessions, readCookie(req.cookies, SESSION_COOKIE), nowSec(deps));
}

export function redirect(location: string, cookies: string[] = [], status = 302): ConsoleResult {
  return { ...html(status, ''), headers: { ...html(status, '').headers, location }, cookies };
}

/** To the sign-in, which comes back to `next` (return-path.ts) when it is a path the console may go to. */
export function toLogin(deps: ConsoleDeps, next?: string): ConsoleResult {
  const back = safeReturn(next);
  return redirect(`${basePath(deps)}/login${back ? `?next=${encodeURIComponent(back)}` : ''}`);
}

export function startLogin(deps: ConsoleDeps, next?: string): ConsoleResult {
  const login = { state: randomToken(16), verifier: randomToken(32), nonce: randomToken(16) };
  const back = safeReturn(next);
  const sealed = sealLogin(deps.vault, {
    ...login,
    exp: nowSec(deps) + LOGIN_SECONDS,
    ...(back && { next: back }),
  });
  return redirect(authorizeUrl(deps.oidc, login), [
    setCookie(LOGIN_COOKIE, sealed, cookieOpts(deps, LOGIN_SECONDS)),
  ]);
}

export async function finishLogin(deps: ConsoleDeps, req: ConsoleRequest): Promise<ConsoleResult> {
  const login = openLogin(deps.vault, readCookie(req.cookies, LOGIN_COOKIE), nowSec(deps));
  const { code, state } = req.query;
  // No pending sign-in of this browser, or another one's state: start over rather than fail.
  if (!login || !code || state !== login.state) return startLogin(deps);
  const idToken = await exchangeCode(deps.oidc, code, login.verifier, deps.fetch);
  const claims = await verifyIdToken(idToken, deps.oidc, deps.jwks, login.nonce, nowSec(deps));
  const provider = providerOf(claims);
  const session: Session = {
    sub: typeof claims.sub === 'string' ? claims.sub : provider.who,
    ...(typeof claims.email === 'string' && { email: claims.email }),
    org: provider.org,
    orgKind: provider.orgKind,
    sid: randomToken(16),
    exp: Math.min(nowSec(deps) + SESSION_SECONDS, Number(claims.exp)),
  };
  const { sub, org, orgKind, exp } = session;
  await deps.sessions.put(sessionKey(deps.vault, session), { sub, org, orgKind, exp });
  return redirect(
    `${basePath(deps)}${safeReturn(login.next) ?? ''}`,
    [
      setCookie(SESSION_COOKIE, sealSession(deps.vault, session), cookieOpts(deps, SESSION_SECONDS)),
      setCookie(LOGIN_COOKIE, '', cookieOpts(deps, 0)),
    ],
    303,
  );
}

/** POST /console/logout (CSRF-checked): the session ends here and now, then at the user pool. */
export async function logout(deps: ConsoleDeps, session: Session): Promise<ConsoleResult> {
  await deps.sessions.delete(sessionKey(deps.vault, session));
  return redirect(logoutUrl(deps.oidc), [setCookie(SESSION_COOKIE, '', cookieOpts(deps, 0))], 303);
}

/** GET /console/signed-out: where the managed login's /logout sends the browser back to. */
export function signedOut(deps: ConsoleDeps, req: ConsoleRequest): ConsoleResult {
  const t = req.locale === 'en' ? 'You are signed out.' : 'U bent afgemeld.';
  const again = req.locale === 'en' ? 'Sign in again' : 'Opnieuw aanmelden';
  const body = `<h1>${t}</h1><p><a href="${basePath(deps)}/login">${again}</a></p>`;
  const self = `${basePath(deps)}/signed-out`;
  return {
    ...html(200, consolePage({ locale: req.locale, title: t, base: basePath(deps), self, body })),
    // A browser that comes here any other way loses its cookie too.
    cookies: [setCookie(SESSION_COOKIE, '', cookieOpts(deps, 0))],
  };
}
