import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { ORG_KINDS, type Provider } from '../domain/model';
import { type PiiVault, sameSecret } from '../domain/pii';

// The console's own session. The cookie holds the staff identity taken from a verified ID token and a
// random session id, signed with a key derived from the vault key. The session itself lives server
// side (SessionStore: a table item keyed by a keyed hash of the id, with TTL), so a sign-out ends it
// at once: an old cookie, and the CSRF token bound to its id, no longer open anything.

export const SESSION_COOKIE = 'cp_session';
export const LOGIN_COOKIE = 'cp_login';
export const LANG_COOKIE = 'cp_lang';
/** One hour, like the user pool's ID token. */
export const SESSION_SECONDS = 3600;

const sessionSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  email: z.optional(z.string()),
  org: z.string().check(z.minLength(1)),
  orgKind: z.enum(ORG_KINDS),
  sid: z.string().check(z.minLength(16)),
  exp: z.number(),
});
export type Session = z.output<typeof sessionSchema>;

const loginSchema = z.object({
  state: z.string(),
  verifier: z.string(),
  nonce: z.string(),
  exp: z.number(),
  /** Where to go after signing in (return-path.ts), console-relative. */
  next: z.optional(z.string()),
});
export type PendingLogin = z.output<typeof loginSchema>;

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** What the server keeps of a sign-in: who, for which organisation and kind, until when (epoch s). */
export interface StoredSession {
  sub: string;
  org: string;
  orgKind: string;
  exp: number;
}

/** The console's sessions, server side; keyed by sessionKey(), never by the id itself. */
export interface SessionStore {
  put(sessionHash: string, session: StoredSession): Promise<void>;
  get(sessionHash: string): Promise<StoredSession | undefined>;
  delete(sessionHash: string): Promise<void>;
}

/** The store's key of a session: a keyed hash, so a table read gives no cookie that works. */
export const sessionKey = (vault: PiiVault, session: Pick<Session, 'sid'>) =>
  vault.hash(`console-session-id:${session.sid}`);

/** The cookie's session, when the server still holds it unchanged and unexpired. */
export async function liveSession(
  vault: PiiVault,
  store: SessionStore,
  raw: string | undefined,
  nowSec: number,
): Promise<Session | undefined> {
  const session = openSession(vault, raw, nowSec);
  if (!session) return undefined;
  const kept = await store.get(sessionKey(vault, session));
  const same =
    kept !== undefined &&
    kept.exp > nowSec &&
    kept.sub === session.sub &&
    kept.org === session.org &&
    kept.orgKind === session.orgKind;
  return same ? session : undefined;
}

/** `<payload>.<hmac>`; the purpose is part of the MAC, so a login cookie never passes as a session. */
export function seal(vault: PiiVault, purpose: string, value: object): string {
  const body = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${body}.${vault.hash(`${purpose}:${body}`)}`;
}

function unseal<S extends z.ZodMiniType>(
  vault: PiiVault,
  purpose: string,
  schema: S,
  raw: string | undefined,
  nowSec: number,
): z.output<S> | undefined {
  if (!raw) return undefined;
  const dot = raw.lastIndexOf('.');
  if (dot < 1) return undefined;
  const body = raw.slice(0, dot);
  if (!sameSecret(raw.slice(dot + 1), vault.hash(`${purpose}:${body}`))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return undefined;
  const exp = (parsed.data as { exp: number }).exp;
  return exp > nowSec ? parsed.data : undefined;
}

export const openSession = (vault: PiiVault, raw: string | undefined, nowSec: number) =>
  unseal(vault, 'console-session', sessionSchema, raw, nowSec);
export const sealSession = (vault: PiiVault, session: Session) => seal(vault, 'console-session', session);
export const openLogin = (vault: PiiVault, raw: string | undefined, nowSec: number) =>
  unseal(vault, 'console-login', loginSchema, raw, nowSec);
export const sealLogin = (vault: PiiVault, login: PendingLogin) => seal(vault, 'console-login', login);

/** Every form of a session carries this; it changes with each sign-in. */
export const csrfToken = (vault: PiiVault, session: Session) => vault.hash(`console-csrf:${session.sid}`);

export function providerOfSession(session: Session): Provider {
  return { org: session.org, orgKind: session.orgKind, who: session.sub };
}

export interface CookieOptions {
  path: string;
  secure: boolean;
  maxAge: number;
}

export function setCookie(name: string, value: string, o: CookieOptions): string {
  return `${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

export function readCookie(cookies: string[] | undefined, name: string): string | undefined {
  for (const c of cookies ?? []) {
    for (const part of c.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}
