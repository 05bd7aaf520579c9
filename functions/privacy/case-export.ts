import type { Service } from '../../workflows/schema';
import { type DelegateView, delegateNames, exportedDelegates } from '../delegation/views';
import type { StepView } from '../domain/case-dto';
import { caseCipher } from '../domain/case-keys';
import type { FormData, Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import type { PiiVault } from '../domain/pii';
import type { CaseView } from '../domain/ports';
import type { ProcessingEntry } from '../domain/processing-log';
import { caseDto } from '../domain/views';
import type { ProposalView } from '../proposals/view';
import { dutchDay } from '../shared/date-format';

// GET /c/{linkToken}/export: everything the case holds about the citizen, for the citizen (AVG art. 15
// and 20): their contact data in full (staff see it masked), the organisation's reference, the
// service's details, both partners' answers, what happened, and who used their data for what. Opened
// in memory with the case's key; an erased case exports what is left, which is nothing personal.
// Who used their data is counted per day, as their page says it ("… bekeken op 3 maart (40 keer)"):
// every read of the case is a record, so a case that a system polls or lists each minute has tens of
// thousands, and at 279 bytes each a line per record would pass Lambda's 6 MB response at about 21,000.
// The records themselves stay in the table, and staff page through them (domain/processing-pages.ts).

/**
 * One use of the data, or the same use (who, what for, which data, which action) repeated on one day in
 * Amsterdam: then `at` is the first time, `until` the last, and `times` how often.
 */
export type ExportedProcessing = ProcessingEntry & { until?: string; times?: number };

export interface CaseExport {
  exportedAt: string;
  case: {
    caseId: string;
    service: { id: string; title: { nl: string; en: string } };
    organisation: { id: string; name: string };
    status: string;
    stage?: string;
    createdAt: string;
    updatedAt: string;
    erasedAt?: string;
    cancelReason?: string;
  };
  citizen: { name?: string; phone?: string; email?: string; locale: Locale };
  reference?: string;
  context?: FormData;
  steps: StepView[];
  /** Proposed due dates of both partners, with their reasons and notes (functions/proposals/). */
  proposals?: ProposalView[];
  events: { at: string; type: string; actor?: string; stepId?: string; channel?: string }[];
  /** Oldest first, by the first time of each. */
  processingLog: ExportedProcessing[];
  /** The helpers the citizen gave a link (delegation/), withdrawn ones too. */
  delegates: (DelegateView & { revokedAt?: string })[];
}

export function caseExport(service: Service, view: CaseView, vault: PiiVault, now: Date): CaseExport {
  const c = view.case;
  const cipher = caseCipher(vault, c);
  // The staff view opens reference and reason; the citizen view leaves staff's details out.
  const staff = caseDto(service, view, 'provider', vault);
  const own = caseDto(service, view, 'citizen', vault);
  const name = cipher.open(c.citizen.nameEnc);
  const phone = cipher.open(c.citizen.phoneEnc);
  const email = cipher.open(c.citizen.emailEnc);
  return {
    exportedAt: now.toISOString(),
    case: {
      caseId: c.caseId,
      service: { id: service.id, title: service.title },
      organisation: { id: c.org, name: orgDisplayName(c.org) },
      status: c.status,
      ...(c.stage !== undefined && { stage: c.stage }),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      ...(c.erased && { erasedAt: c.erased.at }),
      ...(staff.cancelReason !== undefined && { cancelReason: staff.cancelReason }),
    },
    citizen: {
      locale: c.citizen.locale,
      ...(name !== undefined && { name }),
      ...(phone !== undefined && { phone }),
      ...(email !== undefined && { email }),
    },
    ...(staff.reference !== undefined && { reference: staff.reference }),
    ...(own.context !== undefined && { context: own.context }),
    steps: own.steps,
    ...(own.proposals && { proposals: own.proposals }),
    events: own.events,
    processingLog: countedPerDay(own.processingLog),
    delegates: exportedDelegates(delegateNames(cipher, view.delegates ?? []), view.delegates ?? []),
  };
}

/** The entries (oldest first) with each day's repeats of one use counted into its first. */
export function countedPerDay(entries: readonly ProcessingEntry[]): ExportedProcessing[] {
  const firsts = new Map<string, ExportedProcessing>();
  for (const entry of entries) {
    const { at, ...use } = entry;
    const key = JSON.stringify([dutchDay(at), use]);
    const first = firsts.get(key);
    if (first) {
      first.times = (first.times ?? 1) + 1;
      first.until = at;
    } else firsts.set(key, { ...entry });
  }
  return [...firsts.values()];
}
