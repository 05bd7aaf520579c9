import { type PiiVault, sameSecret } from '../domain/pii';
import { errorPage } from '../pages/error-page';
import { errorBody, ForbiddenError } from '../shared/errors';
import { type HttpEvent, type HttpResult, html, json, rootPathOf } from '../shared/http';

// What the citizen page's routes share (citizen-page, citizen-proposals): JSON or a form by its media
// type, a form's CSRF value derived from the link token (the page that served the form knew it), the
// pages' headers, and how a failure is answered.

// No script at all, styles from this origin only, never framed, forms post back here only.
const CSP =
  "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
export const citizenHtml = (status: number, body: string, headers: Record<string, string> = {}) =>
  html(status, body, { 'content-security-policy': CSP, ...headers });

export const csrfFor = (vault: PiiVault, token: string) => vault.hash(`csrf:${token}`);

/** A JSON body by its media type, as the edge parses it: a form cannot send one, so no CSRF value needed. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

export function wantsJson(headers: Record<string, string | undefined>): boolean {
  return /application\/json/.test(headers.accept ?? '') || isJsonType(headers['content-type']);
}

/** A form's fields, once its CSRF value shows it came from this case's page. */
export function formValues(vault: PiiVault, body: unknown, token: string): Record<string, string> {
  const { _csrf, ...values } = (body ?? {}) as Record<string, string>;
  if (typeof _csrf !== 'string' || !sameSecret(_csrf, csrfFor(vault, token))) {
    throw new ForbiddenError('The form did not come from this page; open the page again.', undefined, 'CSRF');
  }
  return values;
}

/**
 * How the citizen routes answer a failure (the pages live under PUBLIC_URL's path): JSON gets the error
 * body; a form gets a page, with the way back where the case itself is fine.
 */
export function citizenErrors(publicUrl: string) {
  const rootPath = rootPathOf(publicUrl);
  return (status: number, error: unknown, event: HttpEvent): HttpResult => {
    const headers = { accept: event.headers.accept, 'content-type': event.headers['content-type'] };
    // DELETE is for JSON clients only (a page withdraws a helper with a form).
    if (wantsJson(headers) || event.requestContext.http.method === 'DELETE')
      return json(status, errorBody(error));
    const token = event.pathParameters?.linkToken;
    const back =
      token && [400, 403, 409, 413, 415].includes(status)
        ? `${rootPath}/c/${encodeURIComponent(token)}`
        : undefined;
    return citizenHtml(status, errorPage(status, error, rootPath, back));
  };
}
