import type { Service, Step } from '../../workflows/schema';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { findStep } from './definitions';
import { renderMessage } from './messages';
import type { CaseRecord, Locale, StepRecord } from './model';
import { messageValues } from './open-step';
import { normalizePhone, type PiiVault } from './pii';
import type { CaseRepository, Clock, TaskCompleter } from './ports';
import { keywordOf, parseAnswer, splitCode } from './sms-reply';
import { fitList, hintFor, say, TEXTS } from './sms-texts';
import { submitStep } from './submit';

// An SMS from a citizen: STOP/START/HELP, or an answer to one of the open citizen steps of that phone.
// Every outcome is a short reply; only an unexpected failure throws. SMS gateways retry webhooks,
// so each message id is claimed once: a retry never changes an opt-out again, and an answer is
// submitted again only while its step is still open (the first try failed), which submitStep
// makes count exactly once.

export interface SmsInboundDeps {
  repo: CaseRepository;
  engine: TaskCompleter;
  clock: Clock;
  /** The whole vault: an answer is sealed with the case's key (submitStep). */
  vault: PiiVault;
  publicUrl: string;
  findService: (serviceId: string) => Service | undefined;
}

export interface InboundSms {
  from: string;
  body: string;
  messageSid: string;
}

interface Candidate {
  step: StepRecord;
  record: CaseRecord;
  service: Service;
  definition: Step;
}

/** Long enough to outlast any gateway retry; the claim holds only the message id. */
const CLAIM_SECONDS = 7 * 86_400;

export async function receiveSms(deps: SmsInboundDeps, sms: InboundSms): Promise<string> {
  const { repo, vault } = deps;
  const phoneHash = vault.hash(normalizePhone(sms.from) ?? sms.from);
  const now = deps.clock.now();
  const fresh = await repo.claimInboundMessage(
    sms.messageSid,
    Math.floor(now.getTime() / 1000) + CLAIM_SECONDS,
  );
  const open = await candidates(deps, phoneHash);
  const locale = open[0]?.record.citizen.locale;
  const list = open.map((c) => ({ code: c.step.shortCode ?? '', title: c.definition.title[locale ?? 'nl'] }));

  const keyword = keywordOf(sms.body);
  if (keyword === 'stop' || keyword === 'start') {
    // Only the opt-out changes: the cases and their steps go on, reachable through the link.
    if (fresh) await repo.setOptOut(phoneHash, keyword === 'stop');
    return say(locale, (t) => (keyword === 'stop' ? t.optedOut : t.optedIn));
  }
  if (keyword === 'help')
    return open.length === 0 ? say(locale, (t) => t.helpNone) : fitList(list, TEXTS[locale ?? 'nl'].help);

  const { code, rest } = splitCode(sms.body);
  const target = code ? open.find((c) => c.step.shortCode === code) : open.length === 1 ? open[0] : undefined;
  if (!target) {
    if (!fresh) return say(locale, (t) => t.duplicate);
    if (open.length === 0) return say(locale, (t) => t.none);
    const t = TEXTS[locale ?? 'nl'];
    return code ? fitList(list, (l) => t.unknownCode(code, l)) : fitList(list, t.needCode);
  }
  return answer(deps, target, rest, fresh);
}

async function answer(
  deps: SmsInboundDeps,
  target: Candidate,
  text: string,
  fresh: boolean,
): Promise<string> {
  const locale = target.record.citizen.locale;
  const t = TEXTS[locale];
  const { caseId, stepId } = target.step;
  if (!target.definition.sms) return t.webOnly;
  const parsed = parseAnswer(target.definition, text);
  if (!parsed.ok) {
    if (fresh) await refused(deps, target, 'UNCLEAR_ANSWER');
    return t.unclear(hintFor(parsed.field, locale));
  }
  try {
    const { step } = await submitStep(deps, {
      caseId,
      stepId,
      actor: 'citizen',
      channel: 'sms',
      data: parsed.data,
    });
    return renderMessage(target.service, 'confirmation', locale, values(deps, target, step));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (fresh && error instanceof ValidationError) await refused(deps, target, 'VALIDATION_FAILED');
    return refusal(error, target, locale, fresh);
  }
}

function refusal(error: AppError, target: Candidate, locale: Locale, fresh: boolean): string {
  const t = TEXTS[locale];
  if (error instanceof ValidationError) {
    const fields = Object.keys((error.details?.fields as Record<string, string> | undefined) ?? {});
    const field = target.definition.form.fields.find((f) => f.id === fields[0]);
    return t.invalid(hintFor(field, locale));
  }
  if (error instanceof ConflictError && error.code === 'CASE_CLOSED') return t.closed;
  if (error instanceof ConflictError && error.code === 'CASE_FAILED') return t.failed;
  if (error instanceof ConflictError && error.code === 'TOKEN_EXPIRED') return t.retry;
  // Not open any more: for a retried message that is the first try's own success.
  if (error instanceof ConflictError || error instanceof NotFoundError || error instanceof ForbiddenError)
    return fresh ? t.notOpen : t.duplicate;
  throw error;
}

async function candidates(deps: SmsInboundDeps, phoneHash: string): Promise<Candidate[]> {
  const steps = (await deps.repo.openStepsForPhone(phoneHash)).filter(
    (s) => s.status === 'OPEN' && s.actor === 'citizen',
  );
  const cases = new Map<string, Promise<CaseRecord | undefined>>();
  for (const s of steps) if (!cases.has(s.caseId)) cases.set(s.caseId, deps.repo.getCase(s.caseId));
  const found: Candidate[] = [];
  for (const step of steps) {
    const record = await cases.get(step.caseId);
    // A FAILED case's steps stay open: an answer then hears that it cannot be taken yet, and why.
    if (record?.status !== 'ACTIVE' && record?.status !== 'FAILED') continue;
    const service = deps.findService(record.serviceId);
    const definition = service && findStep(service, step.stepId)?.step;
    if (service && definition) found.push({ step, record, service, definition });
  }
  return found.sort((a, b) => (a.step.shortCode ?? '').localeCompare(b.step.shortCode ?? ''));
}

function values(deps: SmsInboundDeps, target: Candidate, step: StepRecord) {
  const link = `${deps.publicUrl}/c/${deps.vault.linkToken(target.record.caseId)}`;
  return messageValues(target.service, target.definition, target.record, step, link);
}

/** The console shows that the citizen tried; the text itself is not stored, it may hold personal data. */
function refused(deps: SmsInboundDeps, target: Candidate, reason: string): Promise<void> {
  return deps.repo.appendEvent({
    caseId: target.step.caseId,
    at: deps.clock.now().toISOString(),
    type: 'SUBMISSION_REFUSED',
    actor: 'citizen',
    stepId: target.step.stepId,
    channel: 'sms',
    detail: { reason },
  });
}
