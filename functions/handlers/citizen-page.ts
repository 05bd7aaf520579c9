import type * as z from 'zod/mini';
import { engine } from '../adapters/engine';
import { notifier } from '../adapters/notifier';
import { reportTally as tally } from '../adapters/report-tally';
import { processingLog, reopener, repository } from '../adapters/repository';
import { request } from '../contract/citizen-page';
import { reopenBody } from '../contract/reopen-case';
import { stepAnswers } from '../contract/submit-step';
import { citizenOnly, type LinkAccess, mayAnswer, whoAsks } from '../delegation/link-access';
import type { Created, DelegateFormState } from '../delegation/page-input';
import { addFromRequest, revokeFromRequest } from '../delegation/routes';
import { delegateDto, logDelegateUse } from '../delegation/scope';
import { delegateStore } from '../delegation/store';
import { activeDelegates, delegateNames } from '../delegation/views';
import { caseExport } from '../domain/case-export';
import { caseCipher } from '../domain/case-keys';
import { systemClock } from '../domain/clock';
import { requireService } from '../domain/definitions';
import { reopenCase } from '../domain/reopen';
import { submitStep } from '../domain/submit';
import { caseDto, categoriesShown, publicStep } from '../domain/views';
import type { Failed } from '../pages/case-page';
import { casePage } from '../pages/case-page';
import { pickLocale } from '../pages/i18n';
import { ConflictError, LinkExpiredError, NotFoundError, ValidationError } from '../shared/errors';
import { type HttpEvent, type HttpResult, html, httpRoute, json } from '../shared/http';
import { publicUrl } from '../shared/settings';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';
import {
  citizenError,
  citizenHtml,
  csrfFor,
  formValues,
  isJsonType,
  rootPath,
  wantsJson,
} from '../web/forms';

// GET /c/{linkToken}, GET /c/{linkToken}/export, POST /c/{linkToken}/steps/{stepId}, POST
// /c/{linkToken}/reopen and the delegates' routes: the citizen's page, the download of everything the
// case holds about them, their answers, "it is not done" on a completed case, and the helpers they hand
// steps to. The link token is the only credential and opens this one case, as the citizen or as one of
// their delegates (delegation/link-access.ts), who sees and answers only what was handed over; forms
// carry a CSRF value derived from the token.

type Input = z.output<typeof request>;

const deps = { repo: repository, engine, clock: systemClock, vault, tally };
const reopenDeps = { ...deps, reopener, log: processingLog, notifier, publicUrl };
const delegationDeps = { repo: repository, delegates: delegateStore, clock: systemClock, vault };
const EXPORT_ROUTE = 'GET /c/{linkToken}/export';
const REOPEN_ROUTE = 'POST /c/{linkToken}/reopen';
const ADD_DELEGATE_ROUTE = 'POST /c/{linkToken}/delegates';
const REVOKE_ROUTES = [
  'DELETE /c/{linkToken}/delegates/{delegateId}',
  'POST /c/{linkToken}/delegates/{delegateId}/revoke',
];
const page = citizenHtml;

const access = (token: string) => whoAsks(repository, delegateStore, systemClock, token);

async function loadCase(token: string) {
  const link = await access(token);
  const view = await repository.getCaseView(link.caseId);
  if (!view) throw new NotFoundError('There is no case for this link.');
  if (Date.parse(view.case.linkExpiresAt) < systemClock.now().getTime()) throw new LinkExpiredError();
  return { view, link, service: requireService(view.case.serviceId) };
}

interface Rendered {
  failed?: Failed;
  created?: Created;
  delegateForm?: DelegateFormState;
  event?: HttpEvent;
}

async function render(input: Input, status: number, opts: Rendered = {}): Promise<HttpResult> {
  const { failed, created, delegateForm, event } = opts;
  const token = input.path.linkToken ?? '';
  const { view, link, service } = await loadCase(token);
  const now = systemClock.now();
  const own = caseDto(service, view, 'citizen', vault);
  let dto = own;
  if (link.asker.kind === 'delegate') {
    dto = delegateDto(own, link.asker.delegate);
    // The helper's look at the case is the citizen's to see, like staff's.
    const trace = traceOf(event?.headers ?? {});
    const shown = categoriesShown(dto);
    await logDelegateUse(
      processingLog,
      trace,
      view.case,
      service,
      link.asker.delegate,
      'read',
      shown,
      systemClock,
    );
  } else {
    const names = delegateNames(caseCipher(vault, view.case), view.delegates ?? []);
    dto = { ...own, delegates: activeDelegates(names, view.delegates ?? [], now) };
  }
  if (wantsJson(input.headers)) return json(status, dto);
  const locale = pickLocale(input.query.lang, input.headers['accept-language'], view.case.citizen.locale);
  const basePath = `${rootPath}/c/${token}`;
  const body = casePage({
    dto,
    service,
    locale,
    basePath,
    root: rootPath,
    csrf: csrfFor(token),
    now,
    ...(input.query.done && { done: input.query.done }),
    ...(failed && { failed }),
    ...(created && { created }),
    ...(delegateForm && { delegateForm }),
    ...(link.asker.kind === 'delegate' && { delegate: delegateOf(link, view) }),
  });
  return page(status, body, { 'content-language': locale });
}

/** The delegate as their page names them: their name (opened) and what was handed to them. */
function delegateOf(link: LinkAccess, view: { case: Parameters<typeof caseCipher>[1] }) {
  if (link.asker.kind !== 'delegate') return undefined;
  const d = link.asker.delegate;
  const name = caseCipher(vault, view.case).open(d.nameEnc);
  return { steps: d.steps, ...(name !== undefined && { name }) };
}

/** Everything the case holds about the citizen, as a JSON download; the export is in the case's log. */
async function exportCase(input: Input): Promise<HttpResult> {
  const { view, link, service } = await loadCase(input.path.linkToken ?? '');
  citizenOnly(link.asker);
  const now = systemClock.now();
  const body = caseExport(service, view, vault, now);
  await repository.appendEvent({
    caseId: view.case.caseId,
    at: now.toISOString(),
    type: 'DATA_EXPORTED',
    actor: 'citizen',
  });
  const file = `${service.id}-${view.case.caseId.slice(0, 8)}.json`;
  return json(200, body, { 'content-disposition': `attachment; filename="${file}"` });
}

/** "It is not done": the citizen reopens their completed case, by the page's form or JSON. */
async function reopen(input: Input, event: HttpEvent): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const { view, link } = await loadCase(token);
  citizenOnly(link.asker);
  const asJson = isJsonType(input.headers['content-type']);
  const parsed = reopenBody.safeParse(asJson ? input.body : formValues(input.body, token));
  if (!parsed.success)
    throw new ValidationError('Say what is not done.', {
      fields: { reason: 'Give a reason of at most 500 characters.' },
    });
  const record = await reopenCase(reopenDeps, view.case, { actor: 'citizen' }, parsed.data.reason);
  if (asJson) return json(200, { caseId: record.caseId, status: record.status, stage: record.stage });
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], view.case.citizen.locale);
  return html(303, '', { location: `${publicUrl}/c/${token}?lang=${locale}` });
}

/** The citizen hands steps to a helper (201 with the helper's link), or withdraws a helper's link. */
async function delegates(input: Input, event: HttpEvent): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const link = await access(token);
  citizenOnly(link.asker);
  const record = await repository.getCase(link.caseId);
  if (!record) throw new NotFoundError('There is no case for this link.');
  const asJson = isJsonType(input.headers['content-type']);
  const body =
    asJson || event.requestContext.http.method === 'DELETE' ? input.body : formValues(input.body, token);
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], record.citizen.locale);
  if (event.routeKey === ADD_DELEGATE_ROUTE) {
    let added: Awaited<ReturnType<typeof addFromRequest>>;
    try {
      added = await addFromRequest(delegationDeps, record, body, !asJson);
    } catch (error) {
      // The page's form comes back with what was typed and what to fix.
      if (asJson || !(error instanceof ValidationError)) throw error;
      const { _csrf, ...values } = (body ?? {}) as Record<string, string>;
      const errors = (error.details?.fields ?? {}) as Record<string, string>;
      return render(input, 400, { delegateForm: { values, errors }, event });
    }
    const delegateLink = `${publicUrl}/c/${added.token}`;
    const { delegateId, steps, expiresAt } = added.delegate;
    if (asJson) return json(201, { delegateId, link: delegateLink, steps, expiresAt });
    return render(input, 201, { created: { name: added.name, link: delegateLink }, event });
  }
  const revoked = await revokeFromRequest(delegationDeps, record, input.path.delegateId ?? '');
  if (event.requestContext.http.method === 'DELETE' || asJson)
    return json(200, { delegateId: revoked.delegateId, status: 'REVOKED', revokedAt: revoked.revokedAt });
  return html(303, '', { location: `${publicUrl}/c/${token}?lang=${locale}#delegates` });
}

async function submit(input: Input, event: HttpEvent): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const stepId = input.path.stepId ?? '';
  // The case item alone, not its whole partition: the link item already said whether it expired, and
  // submitStep checks the case from this one read.
  const link = await access(token);
  const delegate = mayAnswer(link.asker, stepId);
  const caseId = link.caseId;
  const record = await repository.getCase(caseId);
  if (!record) throw new NotFoundError('There is no case for this link.');
  const asJson = isJsonType(input.headers['content-type']);
  let data: Record<string, unknown>;
  if (asJson) {
    const parsed = stepAnswers.safeParse(input.body);
    if (!parsed.success)
      throw new ValidationError('Send { "data": { field: value } }.', {
        fields: { 'body.data': 'Send an object with the form fields.' },
      });
    data = parsed.data.data;
  } else {
    data = formValues(input.body, token);
  }
  const request = {
    caseId,
    stepId,
    actor: 'citizen' as const,
    channel: 'web' as const,
    data,
    record,
    ...(delegate && { delegateId: delegate.delegateId }),
  };
  try {
    const { step } = await submitStep(deps, request);
    if (delegate) {
      const service = requireService(record.serviceId);
      const trace = traceOf(event.headers);
      await logDelegateUse(
        processingLog,
        trace,
        record,
        service,
        delegate,
        'create',
        ['answers'],
        systemClock,
      );
    }
    if (asJson) return json(200, { step: publicStep(step) });
  } catch (error) {
    // A form that failed keeps what was typed: the page comes back with the values filled in.
    const values = data as Record<string, string>;
    if (asJson) throw error;
    if (error instanceof ValidationError) {
      return render(input, 400, {
        failed: { stepId, values, errors: (error.details?.fields ?? {}) as Record<string, string> },
      });
    }
    if (error instanceof ConflictError && error.code === 'TOKEN_EXPIRED') {
      return render(input, 409, { failed: { stepId, values, errors: {}, retry: true } });
    }
    throw error;
  }
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], record.citizen.locale);
  const location = `${publicUrl}/c/${token}?done=${encodeURIComponent(stepId)}&lang=${locale}`;
  return html(303, '', { location });
}

export const handler = httpRoute(
  request,
  (input, event) => {
    if (event.routeKey === REOPEN_ROUTE) return reopen(input, event);
    if (event.routeKey === ADD_DELEGATE_ROUTE || REVOKE_ROUTES.includes(event.routeKey))
      return delegates(input, event);
    if (event.requestContext.http.method === 'POST') return submit(input, event);
    return event.routeKey === EXPORT_ROUTE ? exportCase(input) : render(input, 200, { event });
  },
  citizenError,
);
