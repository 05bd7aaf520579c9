import { findService } from '../../workflows/catalog';
import type { LogDeps } from './case-reads';
import type { PiiVault } from './pii';
import type { CaseListQuery, CaseRepository, PageKey } from './ports';
import { logProcessing, type Staff } from './processing-log';
import { caseSummary, referenceOf } from './record-views';

// GET /cases: a page of the organisation's cases in short form. The reference of a case is personal
// data (it may name the household), so it is opened with the case's key, and every case whose
// reference the page shows gets a read record in its processing log before the page leaves.

export interface ListDeps extends LogDeps {
  repo: CaseRepository;
  vault: PiiVault;
}

export async function listCases(
  deps: ListDeps,
  staff: Staff,
  query: CaseListQuery,
): Promise<{ items: ReturnType<typeof caseSummary>[]; next?: PageKey }> {
  const page = await deps.repo.listCases(query);
  const rows = page.items.map((record) => ({ record, reference: referenceOf(deps.vault, record) }));
  const read = rows.filter((row) => row.reference !== undefined);
  await logProcessing(
    deps.log,
    staff,
    'read',
    read.map(({ record }) => ({
      caseId: record.caseId,
      serviceId: record.serviceId,
      categories: ['reference'],
    })),
    deps.findService ?? findService,
    deps.clock,
  );
  const items = rows.map(({ record, reference }) => caseSummary(record, reference));
  return page.next ? { items, next: page.next } : { items };
}
