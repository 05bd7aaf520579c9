import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import { findStep } from '../../../functions/domain/definitions';
import type {
  CaseEvent,
  CaseRecord,
  StepRecord,
  StoredSubmission,
  Submission,
} from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import type {
  CaseRepository,
  CaseView,
  Clock,
  InboundClaim,
  Notifier,
  OpenStepInput,
  OpenStepResult,
  WorkflowEngine,
} from '../../../functions/domain/ports';
import type { TaskRetimer } from '../../../functions/proposals/ports';
import { TokenRejectedError } from '../../../functions/shared/errors';
import { findService } from '../../../workflows/catalog';
import type { Service } from '../../../workflows/schema';
import { stageVisitEvents } from '../../support/fakes';

// In-memory ports for the open-step and SMS domain tests, with the repository's documented semantics.

export const vault = new PiiVault('domain-test-key-0123456789abcdefghijklmnop');
export const publicUrl = 'https://coproduce.example.nl';

type StoredStep = StepRecord & { phoneHash?: string };

export class MemoryRepo implements CaseRepository {
  cases = new Map<string, CaseRecord>();
  steps = new Map<string, StoredStep>();
  events: CaseEvent[] = [];
  optedOut = new Set<string>();
  claimed = new Map<string, InboundClaim>();

  async createCase(record: CaseRecord): Promise<'created' | 'exists'> {
    if (this.cases.has(record.caseId)) return 'exists';
    this.cases.set(record.caseId, record);
    return 'created';
  }
  async getCase(caseId: string) {
    return this.cases.get(caseId);
  }
  async getCaseView(caseId: string): Promise<CaseView | undefined> {
    const record = this.cases.get(caseId);
    if (!record) return undefined;
    const steps = [...this.steps.values()].filter((s) => s.caseId === caseId);
    return { case: record, steps, events: this.events.filter((e) => e.caseId === caseId) };
  }
  async getStageVisitEvents(caseId: string, stageId: string, visit: number) {
    return stageVisitEvents(this.events, caseId, stageId, visit);
  }
  async getCaseStanding(caseId: string) {
    const record = this.cases.get(caseId);
    return record && { case: record, steps: [...this.steps.values()].filter((s) => s.caseId === caseId) };
  }
  async caseIdForLink() {
    return undefined;
  }
  async extendLink(caseId: string, _linkHash: string, until: string) {
    const record = this.cases.get(caseId);
    if (record && record.linkExpiresAt < until) record.linkExpiresAt = until;
  }
  async listCases() {
    return { items: [] };
  }
  async getStep(caseId: string, stepId: string) {
    const step = this.steps.get(`${caseId}#${stepId}`);
    return step && { ...step };
  }
  async openStep(input: OpenStepInput, kind: 'invite' | 'reminder' | 'escalation'): Promise<OpenStepResult> {
    const key = `${input.caseId}#${input.stepId}`;
    const current = this.steps.get(key);
    if (current && current.visit > input.visit) return { kind: 'stale' };
    if (current && current.visit === input.visit && current.status === 'DONE') {
      current.taskToken = input.taskToken;
      return { kind: 'already-done', step: { ...current } };
    }
    if (kind === 'invite') {
      const { phoneHash, shortCode, ...rest } = input;
      const step: StoredStep = {
        ...rest,
        status: 'OPEN',
        reminders: 0,
        escalated: false,
        ...(shortCode && { shortCode }),
        ...(phoneHash && { phoneHash }),
      };
      this.steps.set(key, step);
      return { kind: 'opened', step: { ...step }, fresh: !current || current.visit < input.visit };
    }
    if (!current || current.visit !== input.visit) return { kind: 'stale' };
    current.taskToken = input.taskToken;
    if (kind === 'reminder') current.reminders += 1;
    else current.escalated = true;
    return { kind: 'rearmed', step: { ...current } };
  }
  async completeStep(caseId: string, submission: StoredSubmission) {
    const step = this.steps.get(`${caseId}#${submission.stepId}`);
    if (step?.status !== 'OPEN' || step.actor !== submission.actor || !step.taskToken) return undefined;
    Object.assign(step, {
      status: 'DONE',
      dataEnc: submission.dataEnc,
      submittedAt: submission.submittedAt,
      channel: submission.channel,
    });
    return { ...step };
  }
  async revertStep(caseId: string, stepId: string, taskToken: string) {
    const step = this.steps.get(`${caseId}#${stepId}`);
    if (step?.status !== 'DONE' || step.taskToken !== taskToken) return false;
    step.status = 'OPEN';
    delete step.data;
    delete step.dataEnc;
    return true;
  }
  async closeCase() {
    return false;
  }
  async failCase() {
    return false;
  }
  async reactivateCase() {
    return false;
  }
  async restoreFailure() {
    return false;
  }
  private eventIds = new Set<string>();
  async appendEvent(event: CaseEvent, eventId?: string) {
    this.writeEvents([event], eventId);
  }
  async appendEventGroup(events: readonly [CaseEvent, ...CaseEvent[]], eventId: string) {
    this.writeEvents(events, eventId);
  }
  /** Events written with an id are written once; a group's are listed as events of their own. */
  private writeEvents(events: readonly [CaseEvent, ...CaseEvent[]], eventId: string | undefined) {
    const key = eventId && `${events[0].caseId}/${events[0].at}/${eventId}`;
    if (key && this.eventIds.has(key)) return;
    if (key) this.eventIds.add(key);
    this.events.push(...events);
  }
  async hasEvent(caseId: string, at: string, eventId: string) {
    return this.eventIds.has(`${caseId}/${at}/${eventId}`);
  }
  async openStepsForPhone(phoneHash: string) {
    return [...this.steps.values()]
      .filter((s) => s.phoneHash === phoneHash && s.status === 'OPEN')
      .map(({ phoneHash: _, ...s }) => s);
  }
  async setOptOut(phoneHash: string, optedOut: boolean) {
    if (optedOut) this.optedOut.add(phoneHash);
    else this.optedOut.delete(phoneHash);
  }
  async isOptedOut(phoneHash: string) {
    return this.optedOut.has(phoneHash);
  }
  async claimInboundMessage(messageId: string, _ttl: number, claim: InboundClaim) {
    const first = this.claimed.get(messageId);
    if (first) return { fresh: false as const, claim: structuredClone(first) };
    this.claimed.set(messageId, structuredClone(claim));
    return { fresh: true as const };
  }
  async settleInboundMessage(messageId: string) {
    const claim = this.claimed.get(messageId);
    if (claim) claim.outcome = 'settled';
  }
}

export class MemoryEngine implements WorkflowEngine, TaskRetimer {
  completed: { taskToken: string; output: Submission }[] = [];
  /** Waits ended with Step.Retimed. */
  retimed: string[] = [];
  rejected = new Set<string>();
  async retimeTask(taskToken: string) {
    if (this.rejected.has(taskToken)) return 'gone' as const;
    this.retimed.push(taskToken);
    return 'sent' as const;
  }
  async startCase() {
    return 'arn';
  }
  async completeTask(taskToken: string, output: Submission) {
    if (this.rejected.has(taskToken)) throw new TokenRejectedError('TaskTimedOut');
    this.completed.push({ taskToken, output });
  }
  async stopCase() {}
  async redriveCase() {}
}

export class MemoryNotifier implements Notifier {
  sent: { to: string; text: string }[] = [];
  failWith?: Error;
  async sendSms(to: string, text: string) {
    if (this.failWith) throw this.failWith;
    this.sent.push({ to, text });
  }
}

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

/** A case with its own data key, its phone (if any) sealed with it, as createCase stores one. */
export function makeCase(caseId: string, over: Partial<CaseRecord> & { phone?: string } = {}): CaseRecord {
  const { phone, ...rest } = over;
  const key = newDataKey(vault, caseOwner(caseId));
  return {
    caseId,
    serviceId: 'waste-collection',
    org: 'gemeente-utrecht',
    status: 'ACTIVE',
    dataKey: key.wrapped,
    citizen: {
      locale: 'nl',
      ...(phone && { phoneHash: vault.hash(phone), phoneEnc: key.cipher.seal(phone) }),
    },
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
    requestHash: 'h',
    linkExpiresAt: '2026-06-01T08:00:00.000Z',
    ttl: 1_900_000_000,
    ...rest,
  };
}

/** The answers a step holds, opened with its case's key (the repository keeps them sealed). */
export async function answersOf(repo: CaseRepository, caseId: string, stepId: string) {
  const [record, step] = await Promise.all([repo.getCase(caseId), repo.getStep(caseId, stepId)]);
  return record && caseCipher(vault, record).openJson(step?.dataEnc);
}

/** The real waste-collection service: the texts are its own, so tests compare with what it renders. */
export function catalogService(id = 'waste-collection'): Service {
  const service = findService(id);
  if (!service) throw new Error(`no service ${id} in the catalog`);
  return service;
}

export function stepTitle(service: Service, stepId: string, locale: 'nl' | 'en'): string {
  const title = findStep(service, stepId)?.step.title[locale];
  if (!title) throw new Error(`no step ${stepId} in ${service.id}`);
  return title;
}
