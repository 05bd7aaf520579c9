import type { DelegateRecord } from '../../functions/delegation/model';
import {
  type CaseErasure,
  type CaseEvent,
  type CaseFailure,
  type CaseRecord,
  type CaseStatus,
  type ClosedStatus,
  executionName,
  type StepRecord,
  type StoredSubmission,
  type Submission,
} from '../../functions/domain/model';
import type {
  CaseEraser,
  CasePage,
  CaseReopener,
  CaseRepository,
  CaseResumer,
  CaseView,
  Clock,
  InboundClaim,
  NewCase,
  OpenStepInput,
  OpenStepResult,
  PageKey,
  ProcessingRead,
  WorkflowEngine,
} from '../../functions/domain/ports';
import {
  type ProcessingLog,
  type ProcessingPage,
  type ProcessingPages,
  type ProcessingRecord,
  viewRecords,
} from '../../functions/domain/processing-log';
import { AppError, ConflictError, NotFoundError, TokenRejectedError } from '../../functions/shared/errors';

// In-memory ports for domain tests. Each conditional write is one synchronous check-and-set,
// which is what a DynamoDB condition expression gives, so concurrency tests mean something.

const copy = <T>(value: T): T => structuredClone(value);

/** A case's events from a stage visit's STAGE_ENTERED on (all of them if it has none), as the table reads them. */
export function stageVisitEvents(
  events: readonly CaseEvent[],
  caseId: string,
  stageId: string,
  visit: number,
): CaseEvent[] {
  const own = events.filter((e) => e.caseId === caseId);
  const entry = own.find(
    (e) => e.type === 'STAGE_ENTERED' && e.detail?.stageId === stageId && Number(e.detail?.visit) === visit,
  );
  return copy(entry ? own.filter((e) => e.at >= entry.at) : own);
}

export class FakeRepository
  implements CaseRepository, CaseReopener, ProcessingLog, ProcessingPages, CaseEraser
{
  cases = new Map<string, CaseRecord>();
  links = new Map<string, { caseId: string; expiresAt: string }>();
  /** Calls of createCases (a round batch's cases written together). */
  batchedCreates = 0;
  steps = new Map<string, StepRecord>();
  events: CaseEvent[] = [];
  processing: ProcessingRecord[] = [];
  /** The citizen's delegates (delegation/), as the case partition holds them. */
  delegates: DelegateRecord[] = [];
  optOuts = new Set<string>();
  messages = new Map<string, InboundClaim>();

  private key = (caseId: string, stepId: string) => `${caseId}/${stepId}`;

  async createCase(record: CaseRecord, linkHash: string): Promise<'created' | 'exists'> {
    if (this.cases.has(record.caseId)) return 'exists';
    this.cases.set(record.caseId, copy(record));
    this.links.set(linkHash, { caseId: record.caseId, expiresAt: record.linkExpiresAt });
    return 'created';
  }
  async createCases(cases: readonly NewCase[]): Promise<('created' | 'exists')[]> {
    this.batchedCreates++;
    const outcomes: ('created' | 'exists')[] = [];
    for (const { record, linkHash } of cases) outcomes.push(await this.createCase(record, linkHash));
    return outcomes;
  }
  async getCase(caseId: string) {
    const c = this.cases.get(caseId);
    return c && copy(c);
  }
  async getCaseView(caseId: string, read: ProcessingRead = 'latest'): Promise<CaseView | undefined> {
    const c = this.cases.get(caseId);
    if (!c) return undefined;
    const steps = [...this.steps.values()].filter((s) => s.caseId === caseId);
    const processing = this.processing.filter((r) => r.caseId === caseId);
    const delegates = this.delegates.filter((d) => d.caseId === caseId);
    return copy({
      case: c,
      steps,
      events: this.events.filter((e) => e.caseId === caseId),
      // As the table adapter holds them: the newest records, unless all are asked for.
      ...viewRecords(processing, read),
      delegates,
    });
  }
  async getStageVisitEvents(caseId: string, stageId: string, visit: number) {
    return stageVisitEvents(this.events, caseId, stageId, visit);
  }
  async getCaseStanding(caseId: string) {
    const c = this.cases.get(caseId);
    return c && copy({ case: c, steps: [...this.steps.values()].filter((s) => s.caseId === caseId) });
  }
  async append(records: readonly ProcessingRecord[]) {
    this.processing.push(...copy(records));
  }
  /** As the table orders them: by time, then span id (the sort key); a page's position is its oldest's. */
  async processingPage(caseId: string, limit: number, before?: PageKey): Promise<ProcessingPage> {
    const position = (r: ProcessingRecord) => `${r.at}#${r.spanId}`;
    const below = this.processing
      .filter((r) => r.caseId === caseId && (before?.sk === undefined || position(r) < before.sk))
      .sort((a, b) => (position(a) < position(b) ? 1 : -1));
    const records = below.slice(0, limit);
    const last = records.at(-1);
    return { records: copy(records), ...(below.length > limit && last && { older: { sk: position(last) } }) };
  }
  /** Erasure as the table adapter does it: the key and every sealed or personal value go. */
  async erase(caseId: string, erasure: CaseErasure) {
    const c = this.cases.get(caseId);
    if (!c) throw new NotFoundError('There is no such case.', { caseId });
    c.erased ??= copy(erasure);
    for (const name of [
      'dataKey',
      'referenceEnc',
      'reference',
      'contextEnc',
      'cancelReasonEnc',
      'cancelReason',
    ] as const)
      delete c[name];
    c.citizen = { locale: c.citizen.locale };
    for (const s of this.steps.values())
      if (s.caseId === caseId) {
        delete s.dataEnc;
        delete s.data;
        delete s.shortCode;
      }
    return copy(c.erased);
  }
  async caseIdForLink(linkHash: string) {
    const link = this.links.get(linkHash);
    return link && copy(link);
  }
  /** Only forward, on the case and its link item, as the conditional updates do. */
  async extendLink(caseId: string, linkHash: string, until: string) {
    const record = this.cases.get(caseId);
    if (record && record.linkExpiresAt < until) record.linkExpiresAt = until;
    const link = this.links.get(linkHash);
    if (link?.caseId === caseId && link.expiresAt < until) link.expiresAt = until;
  }
  async listCases(q: {
    org: string;
    serviceId: string;
    status?: CaseStatus;
    limit: number;
    after?: PageKey;
  }) {
    const all = [...this.cases.values()]
      .filter((c) => c.org === q.org && c.serviceId === q.serviceId && (!q.status || c.status === q.status))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.caseId.localeCompare(b.caseId));
    const start = q.after ? Number(q.after.position) : 0;
    const items = all.slice(start, start + q.limit);
    const page: CasePage = { items: copy(items) };
    if (start + q.limit < all.length) page.next = { position: String(start + q.limit) };
    return page;
  }
  async getStep(caseId: string, stepId: string) {
    const s = this.steps.get(this.key(caseId, stepId));
    return s && copy(s);
  }
  /** Test helper: puts a step straight into the table. */
  putStep(step: StepRecord): void {
    this.steps.set(this.key(step.caseId, step.stepId), copy(step));
  }
  async openStep(input: OpenStepInput): Promise<OpenStepResult> {
    const { phoneHash: _p, ...rest } = input;
    const before = this.steps.get(this.key(input.caseId, input.stepId));
    // As the table's write: the earlier attempt's answer stays until this one is answered.
    const earlier = before && {
      ...(before.dataEnc !== undefined && { dataEnc: before.dataEnc }),
      ...(before.data !== undefined && { data: before.data }),
    };
    const step: StepRecord = { ...rest, ...earlier, status: 'OPEN', reminders: 0, escalated: false };
    this.putStep(step);
    return { kind: 'opened', step: copy(step), fresh: !before || before.visit < input.visit };
  }
  async completeStep(caseId: string, submission: StoredSubmission) {
    const s = this.steps.get(this.key(caseId, submission.stepId));
    if (s?.status !== 'OPEN' || s.actor !== submission.actor || !s.taskToken) return undefined;
    if (submission.openedAt !== undefined && s.openedAt !== submission.openedAt) return undefined;
    delete s.data;
    Object.assign(s, {
      status: 'DONE',
      dataEnc: submission.dataEnc,
      submittedAt: submission.submittedAt,
      channel: submission.channel,
      ...(submission.submittedBy && { submittedBy: submission.submittedBy }),
      // As the table's write: a delegate's answer names the delegate on the step.
      ...(submission.delegateId && { delegateId: submission.delegateId }),
    });
    return copy(s);
  }
  async revertStep(caseId: string, stepId: string, taskToken: string) {
    const s = this.steps.get(this.key(caseId, stepId));
    if (s?.status !== 'DONE' || s.taskToken !== taskToken) return false;
    s.status = 'OPEN';
    delete s.data;
    delete s.dataEnc;
    delete s.submittedAt;
    delete s.channel;
    delete s.submittedBy;
    delete s.delegateId;
    return true;
  }
  async closeCase(caseId: string, to: ClosedStatus, sealedReason?: string) {
    const c = this.cases.get(caseId);
    if (c?.status !== 'ACTIVE' && !(c?.status === 'FAILED' && to === 'CANCELLED')) return false;
    c.status = to;
    delete c.failure;
    if (sealedReason) c.cancelReasonEnc = sealedReason;
    return true;
  }
  /** Like dynamo-reopen.ts: COMPLETED at `completedAt` -> ACTIVE, named and counted like a continuation. */
  async reopen(caseId: string, completedAt: string, at: string) {
    const c = this.cases.get(caseId);
    if (c?.status !== 'COMPLETED' || c.updatedAt !== completedAt) return undefined;
    this.continuations.set(caseId, (this.continuations.get(caseId) ?? 0) + 1);
    const continuation = (this.continuations.get(caseId) ?? 0) + 1;
    const execution = `${caseId}-${continuation}`;
    Object.assign(c, { status: 'ACTIVE', updatedAt: at, execution, reopened: { at, execution } });
    return { execution, continuation };
  }
  /** The machine's continuation counter per case (dynamo-reopen.ts keeps it on the case item). */
  continuations = new Map<string, number>();
  async failCase(caseId: string, failure: CaseFailure) {
    const c = this.cases.get(caseId);
    if (c?.status !== 'ACTIVE' || executionName(c) !== failure.execution) return false;
    if (c.redriven?.execution === failure.execution && c.redriven.count > failure.redriveCount) return false;
    c.status = 'FAILED';
    c.failure = copy(failure);
    return true;
  }
  async reactivateCase(caseId: string, failure: CaseFailure) {
    const c = this.cases.get(caseId);
    if (c?.status !== 'FAILED' || c.failure?.execution !== failure.execution) return false;
    if (c.failure.redriveCount !== failure.redriveCount) return false;
    c.status = 'ACTIVE';
    delete c.failure;
    c.redriven = { execution: failure.execution, count: failure.redriveCount + 1 };
    return true;
  }
  async restoreFailure(caseId: string, failure: CaseFailure) {
    const c = this.cases.get(caseId);
    if (c?.status !== 'ACTIVE' || c.redriven?.execution !== failure.execution) return false;
    if (c.redriven.count !== failure.redriveCount + 1) return false;
    c.status = 'FAILED';
    c.failure = copy(failure);
    return true;
  }
  /**
   * Events written with an id replace those written before with that id, as a table key would; a
   * group's events are listed as events of their own, as the table reads them back (where they start).
   */
  private eventIds = new Map<string, number>();
  async appendEvent(event: CaseEvent, eventId?: string) {
    this.writeEvents([event], eventId);
  }
  async appendEventGroup(events: readonly [CaseEvent, ...CaseEvent[]], eventId: string) {
    this.writeEvents(events, eventId);
  }
  private writeEvents(events: readonly [CaseEvent, ...CaseEvent[]], eventId: string | undefined) {
    const key = eventId && `${events[0].caseId}/${events[0].at}/${eventId}`;
    const index = key ? this.eventIds.get(key) : undefined;
    // Written again under its key (a retry): the same events, in the same places.
    if (index !== undefined) this.events.splice(index, events.length, ...events.map(copy));
    else {
      if (key) this.eventIds.set(key, this.events.length);
      this.events.push(...events.map(copy));
    }
  }
  async hasEvent(caseId: string, at: string, eventId: string) {
    return this.eventIds.has(`${caseId}/${at}/${eventId}`);
  }
  async openStepsForPhone(): Promise<StepRecord[]> {
    return [];
  }
  async setOptOut(phoneHash: string, optedOut: boolean) {
    if (optedOut) this.optOuts.add(phoneHash);
    else this.optOuts.delete(phoneHash);
  }
  async isOptedOut(phoneHash: string) {
    return this.optOuts.has(phoneHash);
  }
  async claimInboundMessage(messageId: string, _ttl: number, claim: InboundClaim) {
    const first = this.messages.get(messageId);
    if (first) return { fresh: false as const, claim: copy(first) };
    this.messages.set(messageId, copy(claim));
    return { fresh: true as const };
  }
  async settleInboundMessage(messageId: string) {
    const claim = this.messages.get(messageId);
    if (claim) claim.outcome = 'settled';
  }
}

export class FakeEngine implements WorkflowEngine, CaseResumer {
  started: { serviceId: string; caseId: string; input: Record<string, unknown> }[] = [];
  /** Later executions started by name (a reopened case); a name started twice with one input is kept once. */
  resumed: { serviceId: string; execution: string; input: Record<string, unknown> }[] = [];
  /** Set to make resumeCase fail (as a throttled StartExecution). */
  resumeError?: Error;
  completed: { taskToken: string; output: Submission }[] = [];
  stopped: { serviceId: string; execution: string; reason: string }[] = [];
  redriven: { serviceId: string; execution: string }[] = [];
  /** Set to make redriveCase refuse (as Step Functions does) or fail. */
  redriveError?: Error;
  /** Runs inside redriveCase before it answers, to interleave concurrent requests. */
  beforeRedrive?: () => Promise<void> | void;
  /** Tokens the engine refuses, as after a timeout. */
  rejected = new Set<string>();
  /** Runs inside completeTask before it answers, to interleave other work (e.g. open-step). */
  beforeComplete?: (taskToken: string) => Promise<void> | void;

  async startCase(serviceId: string, caseId: string, input: Record<string, unknown>) {
    this.started.push({ serviceId, caseId, input: copy(input) });
    return `arn:aws:states:eu-west-1:000000000000:execution:${serviceId}:${caseId}`;
  }
  async resumeCase(serviceId: string, execution: string, input: Record<string, unknown>) {
    if (this.resumeError) throw this.resumeError;
    const same = this.resumed.find((r) => r.execution === execution);
    if (same && JSON.stringify(same.input) !== JSON.stringify(input))
      throw new ConflictError('CASE_EXISTS', `Execution ${execution} was already started with other input.`);
    if (!same) this.resumed.push({ serviceId, execution, input: copy(input) });
  }
  async completeTask(taskToken: string, output: Submission) {
    await this.beforeComplete?.(taskToken);
    if (this.rejected.has(taskToken)) throw new TokenRejectedError('TaskTimedOut');
    this.completed.push({ taskToken, output: copy(output) });
  }
  async stopCase(serviceId: string, execution: string, reason: string) {
    this.stopped.push({ serviceId, execution, reason });
  }
  async redriveCase(serviceId: string, execution: string) {
    await this.beforeRedrive?.();
    if (this.redriveError) throw this.redriveError;
    this.redriven.push({ serviceId, execution });
  }
}

export function fixedClock(iso = '2026-03-02T09:00:00.000Z'): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (v) => (now = new Date(v)) };
}

/** The typed error a domain call is expected to reject with (anything else fails the test). */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
