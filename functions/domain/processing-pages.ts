import type { DelegateNames } from '../delegation/views';
import { caseOfProvider } from './access';
import type { ProcessingView } from './case-dto';
import { requireService } from './definitions';
import type { Provider } from './model';
import type { CaseRepository, PageKey } from './ports';
import { PROCESSING_SHOWN, type ProcessingPages } from './processing-log';
import { processingView } from './views';

// A case's whole processing log as staff read it, a page at a time, newest first: the console's log page
// and GET /cases/{caseId}/processing. A view of the case holds only the newest lines (every read adds
// one), so this is where staff reach the older ones. It opens none of the citizen's data, so it is not
// itself a logged read: a helper who used their link shows as one, unnamed (their name is the citizen's).

export interface ProcessingLogPage {
  entries: ProcessingView[];
  /** Where the next, older page starts; absent on the oldest page. */
  older?: PageKey;
}

export interface ProcessingPagesDeps {
  repo: Pick<CaseRepository, 'getCase'>;
  log: ProcessingPages;
}

/** A page of the log of a case the provider reaches (else a 404 like a missing case). */
export async function staffProcessingPage(
  deps: ProcessingPagesDeps,
  provider: Pick<Provider, 'org' | 'orgKind'>,
  caseId: string,
  before?: PageKey,
): Promise<ProcessingLogPage> {
  const record = await caseOfProvider(deps.repo, caseId, provider);
  const service = requireService(record.serviceId);
  const page = await deps.log.processingPage(caseId, PROCESSING_SHOWN, before);
  // No names: a helper's name is the citizen's data, opened only with the case's key.
  const unnamed: DelegateNames = new Map();
  const entries = page.records.map((record) => processingView(record, service, 'provider', unnamed));
  return { entries, ...(page.older && { older: page.older }) };
}
