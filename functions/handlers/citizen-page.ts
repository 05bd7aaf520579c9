import type * as z from 'zod/mini';
import { engine } from '../adapters/engine';
import { notifier } from '../adapters/notifier';
import { reportTally as tally } from '../adapters/report-tally';
import { processingLog, reopener, repository } from '../adapters/repository';
import { request } from '../contract/citizen-page';
import { reopenBody } from '../contract/reopen-case';
import { stepAnswers } from '../contract/submit-step';
import { caseIdForLinkToken } from '../domain/access';
import { caseExport } from '../domain/case-export';
import { systemClock } from '../domain/clock';
import { requireService } from '../domain/definitions';
import { reopenCase } from '../domain/reopen';
import { submitStep } from '../domain/submit';
import { caseDto, publicStep } from '../domain/views';
import type { Failed } from '../pages/case-page';
import { casePage } from '../pages/case-page';
import { errorPage } from '../pages/error-page';
import { pickLocale } from '../pages/i18n';
import { ConflictError, errorBody, LinkExpiredError, NotFoundError, ValidationError } from '../shared/errors';
import { type HttpEvent, type HttpResult, html, httpRoute, json } from '../shared/http';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';
import { csrfFor, formValues, isJsonType, wantsJson } from './citizen-forms';

// GET /c/{linkToken}, GET /c/{linkToken}/export, POST /c/{linkToken}/steps/{stepId} and POST
// /c/{linkToken}/reopen: the citizen's page, the download of everything the case holds about them,
// their answers, and "it is not done" on a completed case. The link token is the only credential and
// opens this one case; forms carry a CSRF value derived from it.

type Input = z.output<typeof request>;

const deps = { repo: repository, engine, clock: systemClock, vault, tally };
const reopenDeps = { ...deps, reopener, log: processingLog, notifier, publicUrl };
const EXPORT_ROUTE = 'GET /c/{linkToken}/export';
const REOPEN_ROUTE = 'POST /c/{linkToken}/reopen';
const rootPath = new URL(publicUrl).pathname.replace(/\/+$/, '');
// No script at all, styles from this origin only, never framed, forms post back here only.
const CSP =
  "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const page = (status: number, body: string, headers: Record<string, string> = {}) =>
  html(status, body, { 'content-security-policy': CSP, ...headers });

async function loadCase(token: string) {
  const caseId = await caseIdForLinkToken(repository, systemClock, token);
  const view = await repository.getCaseView(caseId);
  if (!view) throw new NotFoundError('There is no case for this link.');
  if (Date.parse(view.case.linkExpiresAt) < systemClock.now().getTime()) throw new LinkExpiredError();
  return { view, service: requireService(view.case.serviceId) };
}

async function render(input: Input, status: number, failed?: Failed): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const { view, service } = await loadCase(token);
  const dto = caseDto(service, view, 'citizen', vault);
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
    now: systemClock.now(),
    ...(input.query.done && { done: input.query.done }),
    ...(failed && { failed }),
  });
  return page(status, body, { 'content-language': locale });
}

/** Everything the case holds about the citizen, as a JSON download; the export is in the case's log. */
async function exportCase(input: Input): Promise<HttpResult> {
  const { view, service } = await loadCase(input.path.linkToken ?? '');
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
  const { view } = await loadCase(token);
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

async function submit(input: Input, event: HttpEvent): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const stepId = input.path.stepId ?? '';
  // The case item alone, not its whole partition: the link item already said whether it expired, and
  // submitStep checks the case from this one read.
  const caseId = await caseIdForLinkToken(repository, systemClock, token);
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
  };
  try {
    const { step } = await submitStep(deps, request);
    if (asJson) return json(200, { step: publicStep(step) });
  } catch (error) {
    // A form that failed keeps what was typed: the page comes back with the values filled in.
    const values = data as Record<string, string>;
    if (asJson) throw error;
    if (error instanceof ValidationError) {
      return render(input, 400, {
        stepId,
        values,
        errors: (error.details?.fields ?? {}) as Record<string, string>,
      });
    }
    if (error instanceof ConflictError && error.code === 'TOKEN_EXPIRED') {
      return render(input, 409, { stepId, values, errors: {}, retry: true });
    }
    throw error;
  }
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], record.citizen.locale);
  const location = `${publicUrl}/c/${token}?done=${encodeURIComponent(stepId)}&lang=${locale}`;
  return html(303, '', { location });
}

function renderError(status: number, error: unknown, event: HttpEvent): HttpResult {
  const headers = { accept: event.headers.accept, 'content-type': event.headers['content-type'] };
  if (wantsJson(headers)) return json(status, errorBody(error));
  const token = event.pathParameters?.linkToken;
  // Only where the case itself is fine: a way back to it.
  const back =
    token && [400, 403, 409, 413, 415].includes(status)
      ? `${rootPath}/c/${encodeURIComponent(token)}`
      : undefined;
  return page(status, errorPage(status, error, rootPath, back));
}

export const handler = httpRoute(
  request,
  (input, event) => {
    if (event.routeKey === REOPEN_ROUTE) return reopen(input, event);
    if (event.requestContext.http.method === 'POST') return submit(input, event);
    return event.routeKey === EXPORT_ROUTE ? exportCase(input) : render(input, 200);
  },
  renderError,
);
