import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys, TABLE } from '../../../functions/adapters/table-keys';
import type { CaseFailure, CaseRecord, CaseStatus } from '../../../functions/domain/model';
import type { PageKey } from '../../../functions/domain/ports';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord } from './fixtures';

// Listing a service's cases while they change (a real DynamoDB API, dynalite). The writes are the ones
// the system makes while staff page through a list: cases fail, are redriven (FAILED -> ACTIVE), are
// cancelled after failing (FAILED -> CANCELLED), end (ACTIVE -> COMPLETED), and new cases arrive.
// Every case that exists throughout must be listed exactly once.

let repo: DynamoCaseRepository;
const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});

const failureOf = (caseId: string): CaseFailure => ({
  error: 'Lambda.Unknown',
  cause: 'killed',
  at: '2026-03-02T10:00:00.000Z',
  execution: caseId,
  redriveCount: 0,
});

/** `n` cases of a fresh organisation, one millisecond apart; every third one FAILED. */
async function service(n: number) {
  const org = `org-${Math.random().toString(36).slice(2, 10)}`;
  const cases: CaseRecord[] = [];
  for (let i = 0; i < n; i++) {
    const createdAt = new Date(Date.UTC(2026, 2, 1, 9, 0, 0, i)).toISOString();
    const record = caseRecord({ org, createdAt, updatedAt: createdAt });
    await repo.createCase(record, `link-${record.caseId}`);
    if (i % 3 === 0) await repo.failCase(record.caseId, failureOf(record.caseId));
    cases.push(record);
  }
  return { org, ids: cases.map((c) => c.caseId) };
}

type Page = { items: { caseId: string }[]; next?: PageKey };

/**
 * Pages through a listing; after each page `between` changes cases, knowing which were listed.
 * Returns every id listed, in order, duplicates kept.
 */
async function pageThrough(
  list: (after?: PageKey) => Promise<Page>,
  between: (listed: Set<string>) => Promise<void>,
): Promise<string[]> {
  const listed: string[] = [];
  let after: PageKey | undefined;
  do {
    const page = await list(after);
    listed.push(...page.items.map((c) => c.caseId));
    await between(new Set(listed));
    after = page.next;
  } while (after);
  return listed;
}

/** Each page: a listed FAILED case is redriven and another cancelled; two unlisted ACTIVE cases end. */
function churn(ids: string[], org: string) {
  return async (listed: Set<string>) => {
    const now = await Promise.all(ids.map((id) => repo.getCase(id)));
    const is = (status: CaseStatus, seen: boolean) =>
      now.filter((c): c is CaseRecord => c?.status === status && listed.has(c.caseId) === seen);
    const [redrive, cancel] = is('FAILED', true);
    if (redrive) await repo.reactivateCase(redrive.caseId, failureOf(redrive.caseId));
    if (cancel) await repo.closeCase(cancel.caseId, 'CANCELLED', 'after a failure');
    const [end, fail] = is('ACTIVE', false);
    if (end) await repo.closeCase(end.caseId, 'COMPLETED');
    if (fail) await repo.failCase(fail.caseId, failureOf(fail.caseId));
    // A new case arrives too: newer than any listed, so it is no part of this listing.
    await repo.createCase(
      caseRecord({ org, createdAt: new Date().toISOString() }),
      `link-new-${Math.random()}`,
    );
  };
}

const counts = (ids: string[]) => {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return seen;
};

describe('listing every status while cases change', () => {
  it('lists every case exactly once, newest first', async () => {
    const { org, ids } = await service(40);
    const listed = await pageThrough(
      (after) => repo.listCases({ org, serviceId: 'waste-collection', limit: 6, ...(after && { after }) }),
      churn(ids, org),
    );
    const seen = counts(listed);
    for (const id of ids) expect(seen.get(id), id).toBe(1);
    const positions = ids.map((id) => listed.indexOf(id));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('also with the writes running alongside the listing rather than between its pages', async () => {
    const { org, ids } = await service(30);
    let listing = true;
    const writer = (async () => {
      const change = churn(ids, org);
      const listed = new Set<string>();
      while (listing) await change(listed);
    })();
    const listed: string[] = [];
    let after: PageKey | undefined;
    do {
      const page = await repo.listCases({
        org,
        serviceId: 'waste-collection',
        limit: 4,
        ...(after && { after }),
      });
      listed.push(...page.items.map((c) => c.caseId));
      after = page.next;
    } while (after);
    listing = false;
    await writer;
    const seen = counts(listed);
    for (const id of ids) expect(seen.get(id), id).toBe(1);
  });

  it('the status-first byService index, paged the same way, lists a case twice and misses others', async () => {
    // The old listing of all statuses, kept here to show what the test above would catch.
    const { org, ids } = await service(40);
    const gsi2pk = keys.serviceIndex(org, 'waste-collection', '', '', '').gsi2pk;
    const listed = await pageThrough(
      async (after) => {
        const out = await local.db.send(
          new QueryCommand({
            TableName: local.table.tableName,
            IndexName: TABLE.byService.name,
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': gsi2pk },
            Limit: 6,
            ScanIndexForward: false,
            ...(after && { ExclusiveStartKey: after }),
          }),
        );
        return {
          items: (out.Items ?? []).map((i) => ({ caseId: String(i.caseId) })),
          ...(out.LastEvaluatedKey && { next: out.LastEvaluatedKey as PageKey }),
        };
      },
      churn(ids, org),
    );
    const seen = counts(listed);
    expect(ids.filter((id) => (seen.get(id) ?? 0) > 1).length).toBeGreaterThan(0);
    expect(ids.filter((id) => !seen.has(id)).length).toBeGreaterThan(0);
  });
});

describe('listing one status while cases change', () => {
  it('never lists a case twice, and lists every case that keeps the status throughout', async () => {
    const { org, ids } = await service(40);
    const activeAtStart = new Set(
      (await Promise.all(ids.map((id) => repo.getCase(id))))
        .filter((c) => c?.status === 'ACTIVE')
        .map((c) => c?.caseId),
    );
    const touched = new Set<string>();
    const change = churn(ids, org);
    const listed = await pageThrough(
      (after) =>
        repo.listCases({
          org,
          serviceId: 'waste-collection',
          status: 'ACTIVE',
          limit: 5,
          ...(after && { after }),
        }),
      async (seen) => {
        const before = await Promise.all(ids.map((id) => repo.getCase(id)));
        await change(seen);
        const after = await Promise.all(ids.map((id) => repo.getCase(id)));
        after.forEach((c, i) => {
          if (c && c.status !== before[i]?.status) touched.add(c.caseId);
        });
      },
    );
    const seen = counts(listed);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    for (const id of activeAtStart)
      if (!touched.has(id as string)) expect(seen.get(id as string), id).toBe(1);
    expect(touched.size).toBeGreaterThan(0);
  });
});

describe('the index a listing of all statuses pages through', () => {
  it('holds keys only, so no later write of a case is copied into it', async () => {
    const { org } = await service(2);
    const out = await local.db.send(
      new QueryCommand({
        TableName: local.table.tableName,
        IndexName: TABLE.byServiceCreated.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.serviceIndex(org, 'waste-collection', '', '', '').gsi2pk },
      }),
    );
    for (const item of out.Items ?? [])
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'gsi2pk', 'pk', 'sk']);
  });
});
