import type { Service } from '../../workflows/schema';
import type { Locale } from '../domain/model';
import type { PiiVault } from '../domain/pii';
import type {
  CaseEraser,
  CaseReopener,
  CaseRepository,
  CaseResumer,
  Clock,
  Notifier,
  WorkflowEngine,
} from '../domain/ports';
import type { ProcessingLog, ProcessingPages, Trace } from '../domain/processing-log';
import type { ProposalStore, TaskRetimer } from '../proposals/ports';
import type { ReportTally } from '../reports/ports';
import type { RoundRepository } from '../rounds/ports';
import { type HttpResult, rootPathOf } from '../shared/http';
import type { Fetch, Jwks, OidcConfig } from './oidc';
import type { SessionStore } from './session';

/** Everything the console needs, injected by the handler (and by tests). */
export interface ConsoleDeps {
  repo: CaseRepository;
  /** Every read or change of a case's personal data from the console is logged here, and read back whole. */
  log: ProcessingLog & ProcessingPages;
  eraser: CaseEraser;
  /** The console shows rounds; its one write is cancelCase counting a cancelled round case. */
  rounds: RoundRepository;
  /** Starts a reopened case's new execution too. */
  engine: WorkflowEngine & CaseResumer;
  /** "Heropenen": a completed case back to ACTIVE (reopen.ts). */
  reopener: CaseReopener;
  /** Tells the citizen of a reopening by SMS. */
  notifier: Notifier;
  /** Sign-ins, server side: a sign-out removes one. */
  sessions: SessionStore;
  clock: Clock;
  vault: PiiVault;
  publicUrl: string;
  linkTtlDays: number;
  retentionDays: number;
  oidc: OidcConfig;
  jwks: Jwks;
  fetch: Fetch;
  services: readonly Service[];
  /** The service report's running aggregates: counted on submission, read by the report page. */
  tally: ReportTally;
  /** Negotiated due dates (functions/proposals/): the store and the wait's re-timing. */
  proposals?: { store: ProposalStore; retimer: TaskRetimer };
}

/** One request as the console sees it. */
export interface ConsoleRequest {
  method: string;
  /** The path below /console, '' for /console itself. */
  rel: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  cookies: string[] | undefined;
  locale: Locale;
  /** The request's trace (traceparent or X-Ray); a new one when absent. */
  trace?: Trace;
}

/** API Gateway (payload 2.0) takes Set-Cookie values from `cookies`. */
export type ConsoleResult = HttpResult & { cookies?: string[] };

export const basePath = (deps: Pick<ConsoleDeps, 'publicUrl'>) => `${rootPathOf(deps.publicUrl)}/console`;
export const secureCookies = (deps: Pick<ConsoleDeps, 'oidc'>) =>
  !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(deps.oidc.callbackUrl);
