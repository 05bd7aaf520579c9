import { reopenBody } from '../contract/reopen-case';
import { citizenOnly } from '../delegation/link-access';
import { reopenCase } from '../domain/reopen';
import { pickLocale } from '../pages/i18n';
import { ValidationError } from '../shared/errors';
import { type HttpEvent, type HttpResult, html, json } from '../shared/http';
import type { CitizenInput, CitizenWebDeps } from './deps';
import { formValues, isJsonType } from './forms';
import { loadCase } from './link-case';

// POST /c/{linkToken}/reopen: "it is not done". The citizen reopens their completed case, by the page's
// form (back to the page) or by JSON (the case's new status).

export const REOPEN_ROUTE = 'POST /c/{linkToken}/reopen';

export async function reopen(
  deps: CitizenWebDeps,
  input: CitizenInput,
  event: HttpEvent,
): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const { view, link } = await loadCase(deps, token);
  citizenOnly(link.asker);
  const asJson = isJsonType(input.headers['content-type']);
  const parsed = reopenBody.safeParse(asJson ? input.body : formValues(deps.vault, input.body, token));
  if (!parsed.success)
    throw new ValidationError('Say what is not done.', {
      fields: { reason: 'Give a reason of at most 500 characters.' },
    });
  const record = await reopenCase(deps, view.case, { actor: 'citizen' }, parsed.data.reason);
  if (asJson) return json(200, { caseId: record.caseId, status: record.status, stage: record.stage });
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], view.case.citizen.locale);
  return html(303, '', { location: `${deps.publicUrl}/c/${token}?lang=${locale}` });
}
