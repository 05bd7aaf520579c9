import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import type { PageKey } from '../../../functions/domain/ports';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord, processingRecord, stepInput } from './fixtures';

// A case's processing log read back a page at a time, newest first, on a real table: the pages together
// hold every record once, in order, and hold nothing else of the partition (the case, its steps, events).

let repo: DynamoCaseRepository;
useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});

/** A case with a step, its CASE_CREATED event and `records` processing records. */
async function caseWith(records: number) {
  const c = caseRecord();
  await repo.createCase(c, `link-${c.caseId}`);
  await repo.openStep(stepInput(c.caseId), 'invite');
  await repo.append(Array.from({ length: records }, (_, i) => processingRecord(c.caseId, i)));
  return c.caseId;
}

/** Every page from the newest down, as `by` lists, and whether each offered an older one. */
async function allPages(caseId: string, limit: number) {
  const pages: string[][] = [];
  let before: PageKey | undefined;
  do {
    const page = await repo.processingPage(caseId, limit, before);
    pages.push(page.records.map((r) => r.by));
    before = page.older;
  } while (before && pages.length < 20);
  return pages;
}

const staffDown = (from: number, to: number) =>
  Array.from({ length: from - to }, (_, i) => `staff-${from - 1 - i}`);

describe('processing log pages', () => {
  it('reads 250 records in pages of 100, newest first, each once', async () => {
    const caseId = await caseWith(250);
    const pages = await allPages(caseId, 100);
    expect(pages).toEqual([staffDown(250, 150), staffDown(150, 50), staffDown(50, 0)]);
  });

  it('offers no older page after the oldest record, also when the last page is full', async () => {
    const caseId = await caseWith(200);
    expect(await allPages(caseId, 100)).toEqual([staffDown(200, 100), staffDown(100, 0)]);
    const first = await repo.processingPage(caseId, 200);
    expect(first.records).toHaveLength(200);
    expect(first.older).toBeUndefined();
  });

  it('holds only this case’s records, whole as written', async () => {
    const caseId = await caseWith(3);
    await caseWith(5);
    const page = await repo.processingPage(caseId, 100);
    expect(page).toEqual({ records: [2, 1, 0].map((i) => processingRecord(caseId, i)) });
  });

  it('is empty for a case nobody read, and for no case', async () => {
    const caseId = await caseWith(0);
    expect(await repo.processingPage(caseId, 100)).toEqual({ records: [] });
    expect(await repo.processingPage('no-such-case', 100)).toEqual({ records: [] });
  });
});
