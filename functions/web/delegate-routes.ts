import { citizenOnly } from '../delegation/link-access';
import { addFromRequest, revokeFromRequest } from '../delegation/routes';
import { pickLocale } from '../pages/i18n';
import { NotFoundError, ValidationError } from '../shared/errors';
import { type HttpEvent, type HttpResult, html, json } from '../shared/http';
import type { CitizenInput, CitizenWebDeps } from './deps';
import { formValues, isJsonType } from './forms';
import { access } from './link-case';
import { renderCase } from './page-route';

// POST /c/{linkToken}/delegates, and DELETE /c/{linkToken}/delegates/{delegateId} or its form's POST
// .../revoke: the citizen hands steps to a helper (201 with the helper's link), or withdraws a helper's
// link. Only the citizen's own link may; a page's form comes back with what was typed and what to fix.

export const ADD_DELEGATE_ROUTE = 'POST /c/{linkToken}/delegates';
export const REVOKE_DELEGATE_ROUTES = [
  'DELETE /c/{linkToken}/delegates/{delegateId}',
  'POST /c/{linkToken}/delegates/{delegateId}/revoke',
];

export async function delegates(
  deps: CitizenWebDeps,
  input: CitizenInput,
  event: HttpEvent,
): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const link = await access(deps, token);
  citizenOnly(link.asker);
  const record = await deps.repo.getCase(link.caseId);
  if (!record) throw new NotFoundError('There is no case for this link.');
  const asJson = isJsonType(input.headers['content-type']);
  const isDelete = event.requestContext.http.method === 'DELETE';
  const body = asJson || isDelete ? input.body : formValues(deps.vault, input.body, token);
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], record.citizen.locale);
  if (event.routeKey === ADD_DELEGATE_ROUTE) {
    let added: Awaited<ReturnType<typeof addFromRequest>>;
    try {
      added = await addFromRequest(deps, record, body, !asJson);
    } catch (error) {
      if (asJson || !(error instanceof ValidationError)) throw error;
      const { _csrf, ...values } = (body ?? {}) as Record<string, string>;
      const errors = (error.details?.fields ?? {}) as Record<string, string>;
      return renderCase(deps, input, 400, { delegateForm: { values, errors }, event });
    }
    const delegateLink = `${deps.publicUrl}/c/${added.token}`;
    const { delegateId, steps, expiresAt } = added.delegate;
    if (asJson) return json(201, { delegateId, link: delegateLink, steps, expiresAt });
    return renderCase(deps, input, 201, { created: { name: added.name, link: delegateLink }, event });
  }
  const revoked = await revokeFromRequest(deps, record, input.path.delegateId ?? '');
  if (isDelete || asJson)
    return json(200, { delegateId: revoked.delegateId, status: 'REVOKED', revokedAt: revoked.revokedAt });
  return html(303, '', { location: `${deps.publicUrl}/c/${token}?lang=${locale}#delegates` });
}
