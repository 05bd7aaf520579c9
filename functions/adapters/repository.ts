import type { CaseBatchCreator, CaseReopener, CaseRepository } from '../domain/ports';
import type { ProcessingLog, ProcessingPages } from '../domain/processing-log';
import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoCaseRepository } from './dynamo-repository';

// The repository every handler uses; a function deployed without TABLE_NAME fails at init.
const tableName = requireEnv('TABLE_NAME');
const cases = new DynamoCaseRepository(documentClient(), tableName);

export const repository: CaseRepository = cases;
/**
 * The processing log shares the repository's cache of case ttls (a record lives as long as its case);
 * it is read back a page at a time where staff see all of it (domain/processing-pages.ts).
 */
export const processingLog: ProcessingLog & ProcessingPages = cases;
/** A round batch's cases, written together (dynamo-case-create.ts). */
export const caseBatches: CaseBatchCreator = cases;
/** Reopening a completed case: a conditional write of its own (dynamo-reopen.ts). */
export const reopener: CaseReopener = cases;
