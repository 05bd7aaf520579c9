// Where a sign-in goes back to. A session that ended (expired, or signed out in another tab) sends the
// browser through the managed login; afterwards the staff member lands where they were, not on the
// console's home. A form sent with the ended session was not saved: the way back is the case it was
// about, saying so (notice=expired), so the caseworker fills it in again rather than guessing.

const SEG = '[A-Za-z0-9_-]{1,64}';
/** A path below the console with a plain query: nothing that could leave the console (no `//`, no scheme). */
const SAFE = new RegExp(`^(/${SEG})*/?(\\?[A-Za-z0-9_.=&%-]{0,512})?$`);
const SERVICE_FORM = new RegExp(`^(/services/${SEG})/cases$`);
const CASE = new RegExp(`^/cases/${SEG}(?=/|$)`);

/** The case a console path is about (`/cases/{id}`, or a form below it), if any; also the error page's way back. */
export function casePathOf(rel: string): string | undefined {
  return CASE.exec(rel)?.[0];
}

/** The console-relative path to come back to after signing in; undefined: the console's home. */
export function returnPath(method: string, rel: string, query: Record<string, string>): string | undefined {
  if (method === 'GET') {
    const search = new URLSearchParams(query).toString();
    return safeReturn(search ? `${rel}?${search}` : rel);
  }
  const onCase = casePathOf(rel);
  if (onCase) return `${onCase}?notice=expired`;
  // The start form of a case: back to an empty one.
  const onService = SERVICE_FORM.exec(rel)?.[1];
  return onService ? `${onService}/new` : undefined;
}

/** The path if it is one the console may send a browser to after signing in, else undefined. */
export function safeReturn(path: string | undefined): string | undefined {
  if (!path || path === '/' || path.startsWith('//') || !SAFE.test(path)) return undefined;
  return path;
}
