import { stepAnswers } from '../contract/submit-step';
import { mayAnswer } from '../delegation/link-access';
import { logDelegateUse } from '../delegation/scope';
import { requireService } from '../domain/definitions';
import { publicStep } from '../domain/record-views';
import { submitStep } from '../domain/submit';
import { withoutOpened } from '../pages/form';
import { pickLocale } from '../pages/i18n';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { type HttpEvent, type HttpResult, html, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import type { CitizenInput, CitizenWebDeps } from './deps';
import { formValues, isJsonType } from './forms';
import { access } from './link-case';
import { renderCase } from './page-route';

// POST /c/{linkToken}/steps/{stepId}: the citizen's (or their helper's) answer to a step, by the page's
// form (back to the page, which says it arrived) or by JSON ({ data }, answered with the step).

const SEND_AGAIN: Readonly<Record<string, 'retry' | 'reopened'>> = {
  TOKEN_EXPIRED: 'retry',
  STEP_REOPENED: 'reopened',
};

export async function submit(
  deps: CitizenWebDeps,
  input: CitizenInput,
  event: HttpEvent,
): Promise<HttpResult> {
  const token = input.path.linkToken ?? '';
  const stepId = input.path.stepId ?? '';
  // The case item alone, not its whole partition: the link item already said whether it expired, and
  // submitStep checks the case from this one read.
  const link = await access(deps, token);
  const delegate = mayAnswer(link.asker, stepId);
  const caseId = link.caseId;
  const record = await deps.repo.getCase(caseId);
  if (!record) throw new NotFoundError('There is no case for this link.');
  const asJson = isJsonType(input.headers['content-type']);
  // The page's form says when the step had opened as it was served: a stale form is refused (submit.ts).
  const { openedAt, values: data } = asJson
    ? { openedAt: undefined, values: answersOf(input.body) }
    : withoutOpened(formValues(deps.vault, input.body, token));
  const request = {
    caseId,
    stepId,
    actor: 'citizen' as const,
    channel: 'web' as const,
    data,
    ...(openedAt && { openedAt }),
    record,
    ...(delegate && { delegateId: delegate.delegateId }),
  };
  try {
    const { step } = await submitStep(deps, request);
    if (delegate) {
      const service = requireService(record.serviceId);
      const trace = traceOf(event.headers);
      await logDelegateUse(deps.log, trace, record, service, delegate, 'create', ['answers'], deps.clock);
    }
    if (asJson) return json(200, { step: publicStep(step) });
  } catch (error) {
    // A form that failed keeps what was typed: the page comes back with the values filled in.
    const values = data as Record<string, string>;
    if (asJson) throw error;
    if (error instanceof ValidationError) {
      const errors = (error.details?.fields ?? {}) as Record<string, string>;
      return renderCase(deps, input, 400, { failed: { stepId, values, errors } });
    }
    // Nothing was saved, and the form can be sent again: the engine stopped waiting just then, or the
    // step opened again since the page was served.
    const again = error instanceof ConflictError && SEND_AGAIN[error.code];
    if (again) return renderCase(deps, input, 409, { failed: { stepId, values, errors: {}, retry: again } });
    throw error;
  }
  const locale = pickLocale(input.query.lang, event.headers['accept-language'], record.citizen.locale);
  const location = `${deps.publicUrl}/c/${token}?done=${encodeURIComponent(stepId)}&lang=${locale}`;
  return html(303, '', { location });
}

/** A JSON answer: `{ "data": { field: value } }`. */
function answersOf(body: unknown): Record<string, unknown> {
  const parsed = stepAnswers.safeParse(body);
  if (!parsed.success)
    throw new ValidationError('Send { "data": { field: value } }.', {
      fields: { 'body.data': 'Send an object with the form fields.' },
    });
  return parsed.data.data;
}
