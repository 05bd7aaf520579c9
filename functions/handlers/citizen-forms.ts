import { sameSecret } from '../domain/pii';
import { ForbiddenError } from '../shared/errors';
import { vault } from '../shared/vault';

// What the citizen page's POSTs share: JSON or a form by its media type, and a form's CSRF value,
// derived from the link token (the page that served the form knew it).

export const csrfFor = (token: string) => vault.hash(`csrf:${token}`);

/** A JSON body by its media type, as the edge parses it: a form cannot send one, so no CSRF value needed. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

export function wantsJson(headers: Record<string, string | undefined>): boolean {
  return /application\/json/.test(headers.accept ?? '') || isJsonType(headers['content-type']);
}

/** A form's fields, once its CSRF value shows it came from this case's page. */
export function formValues(body: unknown, token: string): Record<string, string> {
  const { _csrf, ...values } = (body ?? {}) as Record<string, string>;
  if (typeof _csrf !== 'string' || !sameSecret(_csrf, csrfFor(token))) {
    throw new ForbiddenError('The form did not come from this page; open the page again.', undefined, 'CSRF');
  }
  return values;
}
