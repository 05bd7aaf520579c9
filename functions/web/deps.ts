import type * as z from 'zod/mini';
import type { request } from '../contract/citizen-page';
import type { DelegateStore } from '../delegation/model';
import type { PiiVault } from '../domain/pii';
import type {
  CaseReopener,
  CaseRepository,
  CaseResumer,
  Clock,
  Notifier,
  TaskCompleter,
} from '../domain/ports';
import type { ProcessingLog } from '../domain/processing-log';
import type { ReportTally } from '../reports/ports';

/** Everything the citizen's link routes need, injected by the handler (and by tests). */
export interface CitizenWebDeps {
  repo: CaseRepository;
  /** The citizen's helpers: a link token may be a delegate's (delegation/link-access.ts). */
  delegates: DelegateStore;
  /** Hands an answer to the step's waiting task; starts a reopened case's new execution. */
  engine: TaskCompleter & CaseResumer;
  clock: Clock;
  vault: PiiVault;
  /** The service report's running aggregates: an answer may end a stage visit (reports/tally.ts). */
  tally: ReportTally;
  /** What a helper reads or answers, and a reopening, are logged here for the citizen to see. */
  log: ProcessingLog;
  /** "It is not done": a completed case back to ACTIVE (domain/reopen.ts). */
  reopener: CaseReopener;
  /** Tells the citizen of a reopening by SMS. */
  notifier: Notifier;
  publicUrl: string;
}

/** One request to a citizen route, as the edge validated it (contract/citizen-page.ts). */
export type CitizenInput = z.output<typeof request>;
