import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type {
  CaseEvent,
  CaseFailure,
  CaseRecord,
  ClosedStatus,
  StepRecord,
  StoredSubmission,
} from '../domain/model';
import type {
  CaseListQuery,
  CasePage,
  CaseReopener,
  CaseRepository,
  CaseView,
  Clock,
  InboundClaim,
  NewCase,
  OpenStepInput,
  OpenStepResult,
  PageKey,
  ProcessingRead,
  Reopened,
} from '../domain/ports';
import type {
  ProcessingLog,
  ProcessingPage,
  ProcessingPages,
  ProcessingRecord,
} from '../domain/processing-log';
import type { CaseStanding } from '../domain/status-view';
import { NotFoundError } from '../shared/errors';
import { CaseCreator } from './dynamo-case-create';
import { readStageVisitEvents } from './dynamo-case-events';
import { CaseLister } from './dynamo-case-list';
import { CaseStatusStore } from './dynamo-case-status';
import { readCaseStanding, readCaseView } from './dynamo-case-view';
import { projectionOf, putItem, toCase } from './dynamo-items';
import { extendLink } from './dynamo-link-life';
import { PhoneStore } from './dynamo-phone';
import { DynamoProcessingLog } from './dynamo-processing-log';
import { readProcessingPage } from './dynamo-processing-page';
import { CaseReopenStore } from './dynamo-reopen';
import { StepStore } from './dynamo-steps';
import { keys } from './table-keys';

// CaseRepository on the single table of table-keys.ts. Only single-item conditional writes
// (no transactions): every multi-item operation is ordered so that a retry after a crash converges.

const systemClock: Clock = { now: () => new Date() };
const TTL_CACHE_SIZE = 1000;

export class DynamoCaseRepository implements CaseRepository, CaseReopener, ProcessingLog, ProcessingPages {
  private readonly steps: StepStore;
  private readonly processing: DynamoProcessingLog;
  private readonly phones: PhoneStore;
  private readonly statuses: CaseStatusStore;
  private readonly lister: CaseLister;
  private readonly reopener: CaseReopenStore;
  private readonly creator: CaseCreator;
  // A case's ttl never changes, so a warm container need not read it again for every event.
  private readonly ttls = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    clock: Clock = systemClock,
  ) {
    this.steps = new StepStore(db, table, (caseId) => this.ttlOf(caseId));
    this.phones = new PhoneStore(db, table, clock);
    this.statuses = new CaseStatusStore(db, table, clock, (caseId) => this.getCase(caseId));
    this.lister = new CaseLister(db, table);
    this.reopener = new CaseReopenStore(db, table);
    this.processing = new DynamoProcessingLog(db, table, (caseId) => this.ttlOf(caseId));
    this.creator = new CaseCreator(
      db,
      table,
      (caseId) => this.getCase(caseId),
      (caseId, ttl) => this.remember(caseId, ttl),
    );
  }

  createCase(record: CaseRecord, linkHash: string): Promise<'created' | 'exists'> {
    return this.creator.createOne(record, linkHash);
  }

  createCases(cases: readonly NewCase[]): Promise<('created' | 'exists')[]> {
    return this.creator.createMany(cases);
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.case(caseId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const record = toCase(out.Item);
    // The event log copies the case's ttl: knowing it now spares appendEvent a read.
    this.remember(caseId, record.ttl);
    return record;
  }

  async getCaseView(caseId: string, processing: ProcessingRead = 'latest'): Promise<CaseView | undefined> {
    const view = await readCaseView(this.db, this.table, caseId, processing);
    // A read of the case is logged next (processing log): its records copy this ttl.
    if (typeof view?.case.ttl === 'number') this.remember(caseId, view.case.ttl);
    return view;
  }

  getStageVisitEvents(caseId: string, stageId: string, visit: number): Promise<CaseEvent[]> {
    return readStageVisitEvents(this.db, this.table, caseId, stageId, visit);
  }

  getCaseStanding(caseId: string): Promise<CaseStanding | undefined> {
    return readCaseStanding(this.db, this.table, caseId);
  }

  processingPage(caseId: string, limit: number, before?: PageKey): Promise<ProcessingPage> {
    return readProcessingPage(this.db, this.table, caseId, limit, before);
  }

  async caseIdForLink(
    linkHash: string,
  ): Promise<{ caseId: string; expiresAt: string; delegateId?: string } | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.link(linkHash) }));
    if (!out.Item) return undefined;
    const { caseId, expiresAt, delegateId } = out.Item;
    return {
      caseId: String(caseId),
      expiresAt: String(expiresAt),
      ...(typeof delegateId === 'string' && { delegateId }),
    };
  }

  extendLink(caseId: string, linkHash: string, until: string): Promise<void> {
    return extendLink(this.db, this.table, { caseId, linkHash, until });
  }

  listCases(query: CaseListQuery): Promise<CasePage> {
    return this.lister.list(query);
  }

  getStep(caseId: string, stepId: string): Promise<StepRecord | undefined> {
    return this.steps.get(caseId, stepId);
  }

  openStep(
    input: OpenStepInput,
    kind: 'invite' | 'reminder' | 'escalation' | 'none',
  ): Promise<OpenStepResult> {
    return this.steps.open(input, kind);
  }

  completeStep(caseId: string, submission: StoredSubmission): Promise<StepRecord | undefined> {
    return this.steps.complete(caseId, submission);
  }

  revertStep(caseId: string, stepId: string, taskToken: string): Promise<boolean> {
    return this.steps.revert(caseId, stepId, taskToken);
  }

  closeCase(caseId: string, to: ClosedStatus, sealedReason?: string): Promise<boolean> {
    return this.statuses.close(caseId, to, sealedReason);
  }

  failCase(caseId: string, failure: CaseFailure): Promise<boolean> {
    return this.statuses.fail(caseId, failure);
  }

  reactivateCase(caseId: string, failure: CaseFailure): Promise<boolean> {
    return this.statuses.reactivate(caseId, failure);
  }

  restoreFailure(caseId: string, failure: CaseFailure): Promise<boolean> {
    return this.statuses.restore(caseId, failure);
  }

  reopen(caseId: string, completedAt: string, at: string): Promise<Reopened | undefined> {
    return this.reopener.reopen(caseId, completedAt, at);
  }

  appendEvent(event: CaseEvent, eventId?: string): Promise<void> {
    return this.appendEventGroup([event], eventId ?? randomUUID());
  }

  async appendEventGroup([first, ...rest]: readonly [CaseEvent, ...CaseEvent[]], eventId: string) {
    if (rest.some((event) => event.caseId !== first.caseId))
      throw new Error('an event group belongs to one case');
    const ttl = await this.ttlOf(first.caseId);
    await putItem(this.db, this.table, {
      ...keys.event(first.caseId, first.at, eventId),
      ...first,
      ...(rest.length > 0 && { followedBy: rest.map(({ caseId: _, ...event }) => event) }),
      ttl,
    });
  }

  async hasEvent(caseId: string, at: string, eventId: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.event(caseId, at, eventId),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined;
  }

  append(records: readonly ProcessingRecord[]): Promise<void> {
    return this.processing.append(records);
  }

  openStepsForPhone(phoneHash: string): Promise<StepRecord[]> {
    return this.phones.openSteps(phoneHash);
  }

  setOptOut(phoneHash: string, optedOut: boolean): Promise<void> {
    return this.phones.setOptOut(phoneHash, optedOut);
  }

  isOptedOut(phoneHash: string): Promise<boolean> {
    return this.phones.isOptedOut(phoneHash);
  }

  claimInboundMessage(messageId: string, ttl: number, claim: InboundClaim) {
    return this.phones.claimInbound(messageId, ttl, claim);
  }

  settleInboundMessage(messageId: string): Promise<void> {
    return this.phones.settleInbound(messageId);
  }

  private async ttlOf(caseId: string): Promise<number> {
    const known = this.ttls.get(caseId);
    if (known !== undefined) return known;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.case(caseId),
        ...projectionOf(['ttl']),
        // open-step runs right after create-case, possibly in another container.
        ConsistentRead: true,
      }),
    );
    if (typeof out.Item?.ttl !== 'number')
      throw new NotFoundError(`Case ${caseId} does not exist.`, { caseId });
    this.remember(caseId, out.Item.ttl);
    return out.Item.ttl;
  }

  private remember(caseId: string, ttl: number): void {
    if (this.ttls.size >= TTL_CACHE_SIZE) this.ttls.clear();
    this.ttls.set(caseId, ttl);
  }
}
