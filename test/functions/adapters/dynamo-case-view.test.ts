import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { PROCESSING_SHOWN, type ProcessingRecord } from '../../../functions/domain/processing-log';
import { CASE_STATUS_FIELDS } from '../../../functions/domain/status-view';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord, processingRecord } from './fixtures';

// The case view reads the newest processing records only: every read of a case adds one, so a view that
// read them all grew with every read (and would pass Lambda's 6 MB response limit on a polled case).

let repo: DynamoCaseRepository;
const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});

/** A case with `steps` step items, `records` processing records and one event (CASE_CREATED). */
async function caseWith(steps: number, records: number) {
  const c = caseRecord();
  await repo.createCase(c, `link-${c.caseId}`);
  for (let s = 0; s < steps; s++) {
    const item = {
      ...keys.step(c.caseId, `step-${s}`),
      caseId: c.caseId,
      stepId: `step-${s}`,
      status: 'OPEN',
    };
    await local.db.send(new PutCommand({ TableName: local.table.tableName, Item: item }));
  }
  await repo.append(Array.from({ length: records }, (_, i) => processingRecord(c.caseId, i)));
  return c.caseId;
}

const byOf = (records: ProcessingRecord[] | undefined) => (records ?? []).map((r) => r.by);
const staff = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `staff-${from + i}`);

/** The requests the table served while `work` ran, by command, and the items their queries scanned. */
async function requests<T>(work: () => Promise<T>) {
  const stack = local.db.middlewareStack;
  const served: Record<string, number> = {};
  let scanned = 0;
  stack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      served[command] = (served[command] ?? 0) + 1;
      const out = await next(args);
      scanned += Number((out.output as { ScannedCount?: number }).ScannedCount ?? 0);
      return out;
    },
    { step: 'initialize', name: 'countRequests' },
  );
  try {
    const result = await work();
    return { result, served, scanned };
  } finally {
    stack.remove('countRequests');
  }
}

/** The Query requests the table served while `work` ran. */
async function queries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const { result, served } = await requests(work);
  return { result, queries: served.QueryCommand ?? 0 };
}

describe('case view', () => {
  // 130 records fit the first page with the case; 400 take the two-part read.
  for (const records of [PROCESSING_SHOWN + 30, 400])
    it(`holds the newest processing records, oldest first, and says that there are older ones (${records})`, async () => {
      const caseId = await caseWith(3, records);
      const { result: view, queries: count } = await queries(() => repo.getCaseView(caseId));
      expect(byOf(view?.processing)).toEqual(staff(records - PROCESSING_SHOWN, records));
      expect(view?.processingOlder).toBe(true);
      expect(view?.steps.map((s) => s.stepId).sort()).toEqual(['step-0', 'step-1', 'step-2']);
      expect(view?.events.map((e) => e.type)).toEqual(['CASE_CREATED']);
      expect(view?.case.caseId).toBe(caseId);
      // One page; past it, that page (which got past the events) and the newest records.
      expect(count).toBe(records < 250 ? 1 : 2);
    });

  it("reads 'all' of the log for the export, and no flag", async () => {
    const caseId = await caseWith(3, 400);
    const view = await repo.getCaseView(caseId, 'all');
    expect(byOf(view?.processing)).toEqual(staff(0, 400));
    expect(view?.processingOlder).toBeUndefined();
    expect(view?.steps).toHaveLength(3);
  });

  it('reads the front again when the first page ends among the events', async () => {
    const c = caseRecord();
    await repo.createCase(c, `link-${c.caseId}`);
    const events = Array.from({ length: 300 }, (_, i) => ({
      caseId: c.caseId,
      at: new Date(Date.UTC(2026, 2, 1, 9, 0, i)).toISOString(),
      type: 'STEP_REMINDED' as const,
      actor: 'system' as const,
      stepId: 'step-0',
    }));
    for (const event of events) await repo.appendEvent(event, `reminder-${event.at}`);
    await repo.append(Array.from({ length: 120 }, (_, i) => processingRecord(c.caseId, i)));
    const { result: view, queries: count } = await queries(() => repo.getCaseView(c.caseId));
    expect(view?.events).toHaveLength(301);
    expect(byOf(view?.processing)).toEqual(staff(20, 120));
    expect(count).toBe(3); // the first page, the front again, the newest records
  });

  it('has no flag when the log holds exactly as many records as a view shows', async () => {
    const caseId = await caseWith(2, PROCESSING_SHOWN);
    const view = await repo.getCaseView(caseId);
    expect(byOf(view?.processing)).toEqual(staff(0, PROCESSING_SHOWN));
    expect(view?.processingOlder).toBeUndefined();
  });

  it('reads the front again when the first page ends among the steps', async () => {
    const caseId = await caseWith(260, 10);
    const { result: view, queries: count } = await queries(() => repo.getCaseView(caseId));
    expect(view?.steps).toHaveLength(260);
    expect(view?.events.map((e) => e.type)).toEqual(['CASE_CREATED']);
    expect(byOf(view?.processing)).toEqual(staff(0, 10));
    expect(view?.case.caseId).toBe(caseId);
    expect(count).toBe(3);
  });

  it('keeps every step when the partition takes more than one page of the query', async () => {
    const caseId = await caseWith(40, 300);
    const view = await repo.getCaseView(caseId);
    expect(view?.steps).toHaveLength(40);
    expect(byOf(view?.processing)).toEqual(staff(200, 300));
    expect(view?.processingOlder).toBe(true);
  });

  it('is undefined for a case that does not exist', async () => {
    expect(await repo.getCaseView('no-such-case')).toBeUndefined();
  });
});

describe('case standing (a status view)', () => {
  it('reads the case and every step in one Query, and none of the events, delegates or processing records', async () => {
    const caseId = await caseWith(3, 400);
    const { result: view, served, scanned } = await requests(() => repo.getCaseStanding(caseId));
    expect(view?.case.caseId).toBe(caseId);
    expect(view?.steps.map((s) => s.stepId).sort()).toEqual(['step-0', 'step-1', 'step-2']);
    expect(Object.keys(view ?? {}).sort()).toEqual(['case', 'steps']);
    // One request whatever the log holds, and it reads the four items it shows: not the event, not the log.
    expect(served).toEqual({ QueryCommand: 1 });
    expect(scanned).toBe(4);
  });

  it("reads the status view's attributes alone: nothing sealed, no task token, no keys", async () => {
    const c = caseRecord({ dataKey: 'v1.wrapped-key', referenceEnc: 'v1.sealed-reference', stage: 'round' });
    await repo.createCase(c, `link-${c.caseId}`);
    const step = {
      ...keys.step(c.caseId, 'present'),
      caseId: c.caseId,
      stepId: 'present',
      actor: 'citizen',
      status: 'DONE',
      visit: 1,
      openedAt: '2025-03-01T09:00:05.000Z',
      dueAt: '2025-03-08T09:00:05.000Z',
      expiresAt: '2025-03-15T09:00:05.000Z',
      reminders: 0,
      escalated: false,
      taskToken: 'token-secret',
      dataEnc: 'v1.sealed-answers',
      submittedAt: '2025-03-02T09:00:00.000Z',
      channel: 'sms',
      shortCode: '7',
      ...keys.phoneIndex('phone-hash', c.caseId, 'present'),
    };
    await local.db.send(new PutCommand({ TableName: local.table.tableName, Item: step }));
    const view = await repo.getCaseStanding(c.caseId);
    expect(view?.case).toEqual({
      caseId: c.caseId,
      serviceId: c.serviceId,
      org: c.org,
      status: 'ACTIVE',
      stage: 'round',
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    });
    expect(view?.steps).toEqual([
      {
        stepId: 'present',
        status: 'DONE',
        // Which stage visit the step is of: a step that opens after another is not reached in a later one.
        visit: 1,
        openedAt: step.openedAt,
        dueAt: step.dueAt,
        expiresAt: step.expiresAt,
        reminders: 0,
        escalated: false,
        submittedAt: step.submittedAt,
        channel: 'sms',
      },
    ]);
    for (const name of Object.keys(view?.case ?? {})) expect(CASE_STATUS_FIELDS).toContain(name);
  });

  it('is undefined for a case that does not exist', async () => {
    expect(await repo.getCaseStanding('no-such-case')).toBeUndefined();
  });
});
