import type { Service, Step } from '../../workflows/schema';
import { findStep } from '../domain/definitions';
import { RULES } from '../domain/input-policy';
import { renderMessage } from '../domain/messages';
import type { CaseRecord, FormData, Locale, StepRecord } from '../domain/model';
import { messageValues } from '../domain/open-step';
import { normalizePhone, type PiiVault } from '../domain/pii';
import type { CaseRepository, Clock, InboundClaim, TaskCompleter } from '../domain/ports';
import { fitList, hintFor, say, TEXTS } from '../domain/sms-texts';
import { submitStep } from '../domain/submit';
import type { ProposalStore, TaskRetimer } from '../proposals/ports';
import type { ReportTally } from '../reports/ports';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { answerBySms, openProviderProposal, readYesNo } from './proposal-answer';
import { keywordOf, parseAnswer, splitCode } from './reply';

// An SMS from a citizen: STOP/START/HELP, or an answer to one of the open citizen steps of that phone.
// Every outcome is a short reply; only an unexpected failure throws.
//
// A message id counts once. SMS gateways retry (Lambda retries the SNS delivery; a webhook may be
// retried), and a signed Twilio request stays valid when someone sends it again. So the first delivery
// claims the id together with what it answers: the step (case, step, visit) and whether the answer is
// being submitted. Any later copy changes nothing and reveals nothing: it gets one neutral reply, never
// the citizen link or the open steps, and is never read as an answer to whatever is open by then. Its
// only effect is to finish the first delivery's own submission when that failed before the step was
// saved: the same answer, to the same step visit, while that visit is still open (submitStep then
// counts it exactly once). An answer that was refused is settled, so a copy cannot submit it later.

export interface SmsInboundDeps {
  repo: CaseRepository;
  engine: TaskCompleter;
  clock: Clock;
  /** The whole vault: an answer is sealed with the case's key (submitStep). */
  vault: PiiVault;
  publicUrl: string;
  findService: (serviceId: string) => Service | undefined;
  /** The service report's running aggregates (submitStep counts). */
  tally?: ReportTally;
  /** A yes or no to the provider's proposed due date (functions/proposals/): where the function can answer one. */
  proposals?: { store: ProposalStore; retimer: TaskRetimer };
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

/** Long enough to outlast any gateway retry; the claim holds the message id and the step it answers. */
const CLAIM_SECONDS = 7 * 86_400;

/** The reply to every copy of a message: the same words, whatever happened meanwhile. */
export const REPLAYED = say(undefined, (t) => t.duplicate);

export async function receiveSms(deps: SmsInboundDeps, sms: InboundSms): Promise<string> {
  const { repo, vault } = deps;
  const phoneHash = vault.hash(normalizePhone(sms.from) ?? sms.from);
  const ttl = Math.floor(deps.clock.now().getTime() / 1000) + CLAIM_SECONDS;
  const claim = (claimed: InboundClaim) => repo.claimInboundMessage(sms.messageSid, ttl, claimed);
  const settled = { outcome: 'settled' } as const;
  const open = await candidates(deps, phoneHash);
  const locale = open[0]?.record.citizen.locale;
  // Only what a text can answer is offered by code: a step answered through the link had no code in
  // its invitation, unless the organisation's proposed due date waits for a yes or no. Each title is
  // in its own case's language, as its invitation was.
  const bySms = open.filter((c) => c.definition.sms || (deps.proposals && openProviderProposal(c.step)));
  const list = bySms.map((c) => ({
    code: c.step.shortCode ?? '',
    title: c.definition.title[c.record.citizen.locale],
  }));

  const keyword = keywordOf(sms.body);
  if (keyword) {
    const first = await claim(settled);
    if (!first.fresh) return replayed(deps, sms, first.claim);
    // Only the opt-out changes: the cases and their steps go on, reachable through the link.
    if (keyword !== 'help') await repo.setOptOut(phoneHash, keyword === 'stop');
    if (keyword === 'stop') return say(locale, (t) => t.optedOut);
    if (keyword === 'start') return say(locale, (t) => t.optedIn);
    if (open.length === 0) return say(locale, (t) => t.helpNone);
    return bySms.length === 0 ? say(locale, (t) => t.webOnly) : fitList(list, TEXTS[locale ?? 'nl'].help);
  }

  const { code, rest } = splitCode(sms.body, new Set(open.map((c) => c.step.shortCode ?? '')));
  // Without a code: the one step a text can answer, or else the one open step (whose reply may be
  // that it is answered through the link).
  const alone = bySms.length === 1 ? bySms[0] : open.length === 1 ? open[0] : undefined;
  const target = code ? open.find((c) => c.step.shortCode === code) : alone;
  if (!target) {
    const first = await claim(settled);
    if (!first.fresh) return replayed(deps, sms, first.claim);
    if (open.length === 0) return say(locale, (t) => t.none);
    // A code of before (its step answered, or its stage gone back): say so, not only where to answer now.
    if (bySms.length === 0) return say(locale, (t) => (code ? t.codeWebOnly(code) : t.webOnly));
    const t = TEXTS[locale ?? 'nl'];
    return code ? fitList(list, (l) => t.unknownCode(code, l)) : fitList(list, t.needCode);
  }
  const answers = { caseId: target.step.caseId, stepId: target.step.stepId, visit: target.step.visit };
  // While the organisation's proposed due date for this step waits, a yes or no answers that.
  const proposal = deps.proposals && openProviderProposal(target.step);
  const yesNo = proposal && readYesNo(rest);
  if (deps.proposals && proposal && yesNo) {
    const first = await claim({ outcome: 'settled', answers });
    if (!first.fresh) return REPLAYED;
    const { store, retimer } = deps.proposals;
    const answerDeps = { repo, proposals: store, retimer, clock: deps.clock, vault };
    return answerBySms(answerDeps, target.record, proposal, yesNo);
  }
  const parsed = target.definition.sms ? parseAnswer(target.definition, rest) : undefined;
  const first = await claim({ outcome: parsed?.ok ? 'submitting' : 'settled', answers });
  if (!first.fresh) return replayed(deps, sms, first.claim);
  const t = TEXTS[target.record.citizen.locale];
  if (!parsed) return t.webOnly;
  if (!parsed.ok) {
    await refused(deps, target, 'UNCLEAR_ANSWER');
    return t.unclear(hintFor(parsed.field, target.record.citizen.locale));
  }
  return answer(deps, sms, target, parsed.data);
}

/**
 * A copy of a message seen before. Finishes the first delivery's submission only when it may have
 * failed before saving, to the step visit it was bound to, while that visit is open; else nothing.
 */
async function replayed(deps: SmsInboundDeps, sms: InboundSms, first: InboundClaim): Promise<string> {
  const bound = first.answers;
  if (first.outcome !== 'submitting' || !bound) return REPLAYED;
  const step = await deps.repo.getStep(bound.caseId, bound.stepId);
  if (step?.status !== 'OPEN' || step.visit !== bound.visit) return REPLAYED;
  const record = await deps.repo.getCase(bound.caseId);
  const service = record && deps.findService(record.serviceId);
  const definition = service && findStep(service, bound.stepId)?.step;
  if (!record || !service || !definition?.sms) return REPLAYED;
  const parsed = parseAnswer(definition, splitCode(sms.body, new Set([step.shortCode ?? ''])).rest);
  if (!parsed.ok) return REPLAYED;
  try {
    await submitStep(deps, {
      caseId: bound.caseId,
      stepId: bound.stepId,
      actor: 'citizen',
      channel: 'sms',
      data: parsed.data,
      record,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await deps.repo.settleInboundMessage(sms.messageSid);
  }
  return REPLAYED;
}

async function answer(
  deps: SmsInboundDeps,
  sms: InboundSms,
  target: Candidate,
  data: FormData,
): Promise<string> {
  const locale = target.record.citizen.locale;
  const { caseId, stepId } = target.step;
  // The case as candidates() read it, consistently, a moment ago: submitStep does not read it again.
  const request = { caseId, stepId, actor: 'citizen', channel: 'sms', data, record: target.record } as const;
  try {
    const { step } = await submitStep(deps, request);
    return renderMessage(
      target.service,
      'confirmation',
      locale,
      values(deps, target, step),
      target.definition,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Refused (or taken by a concurrent copy): decided, so no later copy may submit this answer.
    await deps.repo.settleInboundMessage(sms.messageSid);
    if (error instanceof ValidationError) await refused(deps, target, 'VALIDATION_FAILED');
    return refusal(error, target, locale);
  }
}

function refusal(error: AppError, target: Candidate, locale: Locale): string {
  const t = TEXTS[locale];
  if (error instanceof ValidationError) {
    const [[id, reason] = []] = Object.entries(
      (error.details?.fields as Record<string, string> | undefined) ?? {},
    );
    // A character the text may not hold: saying what the field takes (its length) would not help.
    if (reason === RULES.control || reason === RULES.invisible) return t.invalid(t.characters);
    const field = target.definition.form.fields.find((f) => f.id === id);
    return t.invalid(hintFor(field, locale));
  }
  if (error instanceof ConflictError && error.code === 'CASE_CLOSED') return t.closed;
  if (error instanceof ConflictError && error.code === 'CASE_FAILED') return t.failed;
  if (error instanceof ConflictError && error.code === 'TOKEN_EXPIRED') return t.retry;
  if (error instanceof ConflictError || error instanceof NotFoundError || error instanceof ForbiddenError)
    return t.notOpen;
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
