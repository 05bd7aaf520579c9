import type { LinkAccess } from '../delegation/link-access';
import type { Created, DelegateFormState } from '../delegation/page-input';
import { delegateDto, logDelegateUse } from '../delegation/scope';
import { activeDelegates, delegateNames } from '../delegation/views';
import { caseCipher } from '../domain/case-keys';
import type { CaseRecord } from '../domain/model';
import { caseDto, categoriesShown } from '../domain/views';
import { casePage, type Failed } from '../pages/case-page';
import { pickLocale } from '../pages/i18n';
import { type HttpEvent, type HttpResult, json, rootPathOf } from '../shared/http';
import { traceOf } from '../shared/trace';
import type { CitizenInput, CitizenWebDeps } from './deps';
import { citizenHtml, csrfFor, wantsJson } from './forms';
import { loadCase } from './link-case';

// GET /c/{linkToken}: the citizen's page of their case, or its JSON. A form that failed, a helper just
// added, or a helper's form to fix comes back on the same page, with the status that says why.

export interface Rendered {
  failed?: Failed;
  created?: Created;
  delegateForm?: DelegateFormState;
  event?: HttpEvent;
}

export async function renderCase(
  deps: CitizenWebDeps,
  input: CitizenInput,
  status: number,
  opts: Rendered = {},
): Promise<HttpResult> {
  const { failed, created, delegateForm, event } = opts;
  const { vault, clock } = deps;
  const token = input.path.linkToken ?? '';
  const { view, link, service } = await loadCase(deps, token);
  const now = clock.now();
  const own = caseDto(service, view, 'citizen', vault);
  let dto = own;
  if (link.asker.kind === 'delegate') {
    dto = delegateDto(own, link.asker.delegate, service);
    // The helper's look at the case is the citizen's to see, like staff's.
    const trace = traceOf(event?.headers ?? {});
    const shown = categoriesShown(dto);
    await logDelegateUse(deps.log, trace, view.case, service, link.asker.delegate, 'read', shown, clock);
  } else {
    const names = delegateNames(caseCipher(vault, view.case), view.delegates ?? []);
    dto = { ...own, delegates: activeDelegates(names, view.delegates ?? [], now) };
  }
  if (wantsJson(input.headers)) return json(status, dto);
  const locale = pickLocale(input.query.lang, input.headers['accept-language'], view.case.citizen.locale);
  const root = rootPathOf(deps.publicUrl);
  const body = casePage({
    dto,
    service,
    locale,
    basePath: `${root}/c/${token}`,
    root,
    csrf: csrfFor(vault, token),
    now,
    ...(input.query.done && { done: input.query.done }),
    ...(failed && { failed }),
    ...(created && { created }),
    ...(delegateForm && { delegateForm }),
    ...(link.asker.kind === 'delegate' && { delegate: delegateOf(deps, link, view.case) }),
  });
  return citizenHtml(status, body, { 'content-language': locale });
}

/** The delegate as their page names them: their name (opened) and what was handed to them. */
function delegateOf(deps: CitizenWebDeps, link: LinkAccess, record: CaseRecord) {
  if (link.asker.kind !== 'delegate') return undefined;
  const d = link.asker.delegate;
  const name = caseCipher(deps.vault, record).open(d.nameEnc);
  return { steps: d.steps, ...(name !== undefined && { name }) };
}
