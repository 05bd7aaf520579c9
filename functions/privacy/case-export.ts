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

// GET /c/{linkToken}/export: everything the case holds about the citizen, for the citizen (AVG art. 15
// and 20): their contact data in full (staff see it masked), the organisation's reference, the
// service's details, both partners' answers, what happened, and who used their data for what. Opened
// in memory with the case's key; an erased case exports what is left, which is nothing personal.

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
  processingLog: ProcessingEntry[];
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
    processingLog: own.processingLog,
    delegates: exportedDelegates(delegateNames(cipher, view.delegates ?? []), view.delegates ?? []),
  };
}
