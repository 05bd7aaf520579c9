import * as z from 'zod/mini';
import type { Service } from '../../workflows/schema';
import { cancelReason } from '../contract/cancel-case';
import { eraseReason } from '../contract/erase-case';
import { reopenReason } from '../contract/reopen-case';
import { caseOfProvider } from '../domain/access';
import { cancelCase } from '../domain/case-cancel';
import { redriveFailedCase } from '../domain/case-failure';
import { logChange } from '../domain/case-reads';
import { createCase } from '../domain/cases';
import { dutchMobile, email, handover, isReachable, RULES, singleLine } from '../domain/input-policy';
import { reopenCase } from '../domain/reopen';
import { submitStep } from '../domain/submit';
import { withoutOpened } from '../pages/form';
import { eraseCase } from '../privacy/erasure';
import { ConflictError, statusOf, ValidationError } from '../shared/errors';
import { redirect } from './auth';
import type { CaseNotice } from './case-page';
import { stepRefusal } from './case-refusal';
import { type Ctx, staffOf } from './context';
import { basePath } from './deps';
import { casePage, startPage } from './pages';
import { type ReasonForm, reasonRefusal } from './reason-refusal';
import { providerOfSession } from './session';

// The console's POST actions, each a call into the domain; a form that fails validation comes
// back with what was typed and the errors, as does a step's answer the case refused (case-refusal.ts)
// and a reason form's refusal (reason-refusal.ts); everything else redirects (POST, redirect, GET).

/** The start form: contact data and text by the input policy, like POST /cases; blank means absent. */
const startForm = z
  .object({
    name: z.optional(singleLine(200, 1)),
    phone: z.optional(dutchMobile),
    email: z.optional(email),
    reference: z.optional(singleLine(100, 1)),
    locale: z.optional(z.enum(['nl', 'en'])),
    handover: z.optional(handover),
    idempotencyKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)),
  })
  .check(z.refine((f) => isReachable(f, f.handover), { error: RULES.unreachable, path: ['phone'] }));

export async function start(ctx: Ctx, service: Service) {
  const values = ctx.req.body as Record<string, string>;
  const present = Object.fromEntries(
    Object.entries(values).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')),
  );
  const form = startForm.safeParse(present);
  if (!form.success) {
    const errors: Record<string, string> = {};
    for (const issue of form.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    // A missing or broken idempotency key is no typing error: the form itself did not come from here.
    if (errors.idempotencyKey || errors.form)
      throw new ValidationError('Invalid form.', { fields: { form: 'Invalid form.' } });
    return startPage(ctx, service, 400, values, errors);
  }
  const f = form.data;
  // The service's context (address, collection date...) comes in under the field ids.
  const context = Object.fromEntries(
    service.context
      .map((f) => [f.id, values[f.id]])
      .filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  );
  const citizen = {
    ...(f.name && { name: f.name }),
    ...(f.phone && { phone: f.phone }),
    ...(f.email && { email: f.email }),
    ...(f.locale && { locale: f.locale }),
  };
  try {
    const body = {
      serviceId: service.id,
      citizen,
      ...(f.reference && { reference: f.reference }),
      ...(f.handover && { handover: f.handover }),
      ...(service.context.length > 0 && { context }),
    };
    const { result } = await createCase(ctx.deps, staffOf(ctx), body, f.idempotencyKey);
    return redirect(`${basePath(ctx.deps)}/cases/${result.caseId}?notice=created`, [], 303);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fields = (error.details?.fields ?? {}) as Record<string, string>;
    const errors = Object.fromEntries(
      Object.entries(fields).map(([k, m]) => [k.replace(/^(citizen|context)\./, ''), m]),
    );
    return startPage(ctx, service, 400, values, errors);
  }
}

export async function submit(ctx: Ctx, caseId: string, stepId: string) {
  const record = await caseOfProvider(ctx.deps.repo, caseId, providerOfSession(ctx.session));
  const { _csrf, ...posted } = ctx.req.body;
  const { openedAt, values: data } = withoutOpened(posted as Record<string, string>);
  try {
    const request = {
      caseId,
      stepId,
      actor: 'provider' as const,
      channel: 'web' as const,
      submittedBy: ctx.session.sub,
      data,
      ...(openedAt && { openedAt }),
    };
    await submitStep(ctx.deps, { ...request, record });
    await logChange(ctx.deps, staffOf(ctx), 'update', record, ['notes']);
  } catch (error) {
    // The step no longer waits, opened again, or the case closed: said on the case, what was typed kept.
    if (error instanceof ConflictError)
      return casePage(ctx, caseId, 409, { refused: stepRefusal(error, stepId, data) });
    if (!(error instanceof ValidationError)) throw error;
    const errors = (error.details?.fields ?? {}) as Record<string, string>;
    return casePage(ctx, caseId, 400, { failed: { stepId, values: data, errors } });
  }
  return redirect(`${basePath(ctx.deps)}/cases/${caseId}?notice=saved`, [], 303);
}

/**
 * A form of the case that takes a reason: the reason checked by `rule`, then `act`. A refusal (the reason,
 * or the case's state) comes back on the case with the reason kept (reason-refusal.ts).
 */
async function withReason(
  ctx: Ctx,
  caseId: string,
  form: ReasonForm,
  rule: { safeParse(value: unknown): { success: true; data: string } | { success: false } },
  act: (reason: string) => Promise<unknown>,
) {
  const typed = ctx.req.body.reason;
  try {
    const reason = rule.safeParse(typed);
    if (!reason.success)
      throw new ValidationError('Give a reason.', { fields: { reason: 'Give a reason.' } });
    await act(reason.data);
  } catch (error) {
    const refusal = reasonRefusal(form, error, typed);
    if (!refusal) throw error;
    return casePage(ctx, caseId, statusOf(error), { reasonRefused: refusal });
  }
  return redirect(`${basePath(ctx.deps)}/cases/${caseId}?notice=${NOTICE[form]}`, [], 303);
}

const NOTICE: Record<ReasonForm, CaseNotice> = { cancel: 'cancelled', erase: 'erased', reopen: 'reopened' };

/** "Gegevens verwijderen": the case's personal data erased, with a reason (it is in the processing log). */
export const erase = (ctx: Ctx, caseId: string) =>
  withReason(ctx, caseId, 'erase', eraseReason, (reason) =>
    eraseCase(ctx.deps, staffOf(ctx), caseId, reason),
  );

export const cancel = (ctx: Ctx, caseId: string) =>
  withReason(ctx, caseId, 'cancel', cancelReason, (reason) =>
    cancelCase(ctx.deps, providerOfSession(ctx.session), caseId, reason),
  );

/** "Heropenen": a completed case back to the service's stage, with a reason both partners see. */
export const reopen = (ctx: Ctx, caseId: string) =>
  withReason(ctx, caseId, 'reopen', reopenReason, async (reason) => {
    const record = await caseOfProvider(ctx.deps.repo, caseId, providerOfSession(ctx.session));
    await reopenCase(ctx.deps, record, { actor: 'provider', staff: staffOf(ctx) }, reason);
  });

/** "Try again" on a FAILED case; a refusal comes back on the case page, in the staff's language. */
export async function redrive(ctx: Ctx, caseId: string) {
  try {
    await redriveFailedCase(ctx.deps, providerOfSession(ctx.session), caseId);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const reason = typeof error.details?.reason === 'string' ? error.details.reason : undefined;
    return casePage(ctx, caseId, 409, { redriveRefused: { code: error.code, ...(reason && { reason }) } });
  }
  return redirect(`${basePath(ctx.deps)}/cases/${caseId}?notice=redriven`, [], 303);
}
