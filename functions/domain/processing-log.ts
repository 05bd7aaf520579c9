import { randomBytes } from 'node:crypto';
import type { Service } from '../../workflows/schema';
import type { Provider } from './model';
import { orgDisplayName } from './org-name';
import type { Clock, PageKey, ProcessingRead } from './ports';

// The processing log: every time staff read or change a case's personal data (API, console, rounds),
// one append-only record per case and action, shaped after Logius' Logboek Dataverwerkingen (LDV): a
// trace id for the request, a span id per record (its parent the request's span), the action's name
// and time, the processing activity it serves (dpl.core.processing_activity_id, declared per service)
// and the data subject, here the case (dpl.core.data_subject_id, pseudonymous). Beside LDV's fields it
// says who (staff id), for which organisation, and which categories of data. Records live in the case's
// partition for as long as the case, survive its erasure, and are shown to the citizen without names.

export const PROCESSING_ACTIONS = ['read', 'create', 'update', 'erase'] as const;
export type ProcessingAction = (typeof PROCESSING_ACTIONS)[number];

/** The kinds of personal data a case holds. `notes`: what the organisation recorded about the case. */
export const DATA_CATEGORIES = ['contact', 'reference', 'context', 'answers', 'notes'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** LDV's trace: one per request (a W3C traceparent or X-Ray trace when there is one). */
export interface Trace {
  /** 16 bytes, 32 lower-case hex digits. */
  traceId: string;
  /** The request's own span (8 bytes, 16 hex): the parent of the records it writes. */
  spanId: string;
}

export interface ProcessingRecord {
  caseId: string;
  at: string;
  action: ProcessingAction;
  categories: DataCategory[];
  /** The organisation that processed the data, and the staff member (sub) who did. */
  org: string;
  by: string;
  serviceId: string;
  /** The service's processing activity id (dpl.core.processing_activity_id). */
  activity: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  /** An erasure's reason, sealed with the stack's key: it outlives the case's own key. */
  reasonEnc?: string;
  /** A delegate of the citizen (delegation/) used the data through their link, not staff. */
  delegateId?: string;
}

/**
 * Records a view of a case holds: the newest ones. Every read of a case adds one, so a view that held them
 * all would grow with every read (adapters/dynamo-case-view.ts); the citizen's export reads them all.
 */
export const PROCESSING_SHOWN = 100;

/** A case's records, oldest first, as a view holds them ('latest') or whole ('all'), and whether older ones exist. */
export function viewRecords(
  records: ProcessingRecord[],
  read: ProcessingRead,
): { processing: ProcessingRecord[]; processingOlder?: true } {
  if (read === 'all' || records.length <= PROCESSING_SHOWN) return { processing: records };
  return { processing: records.slice(-PROCESSING_SHOWN), processingOlder: true };
}

/** Who acts, within which request: what every logged use of personal data needs. */
export interface Staff {
  provider: Provider;
  trace: Trace;
}

/** Appends records; a record is never changed or removed (it expires with its case). */
export interface ProcessingLog {
  append(records: readonly ProcessingRecord[]): Promise<void>;
}

/** A page of a case's processing log, newest first. */
export interface ProcessingPage {
  records: ProcessingRecord[];
  /** Where the next, older page starts; absent on the oldest page. */
  older?: PageKey;
}

/**
 * The whole log, read back a page at a time: where staff see more than a view's newest records
 * (processing-pages.ts). A page is at most `limit` records, from just below `before` (a key it gave) down.
 */
export interface ProcessingPages {
  processingPage(caseId: string, limit: number, before?: PageKey): Promise<ProcessingPage>;
}

export const newSpanId = () => randomBytes(8).toString('hex');
export const newTraceId = () => randomBytes(16).toString('hex');

/** A trace of its own, for work no request started (a round's batch without a trace header). */
export function freshTrace(): Trace {
  return { traceId: newTraceId(), spanId: newSpanId() };
}

export interface Processed {
  caseId: string;
  serviceId: string;
  categories: readonly DataCategory[];
}

/**
 * One record per case (data subject) whose personal data was used; a case without any is not logged,
 * except for an erasure, which is always on record.
 */
export function processingRecords(
  staff: Staff,
  action: ProcessingAction,
  processed: readonly Processed[],
  findService: (serviceId: string) => Service | undefined,
  clock: Clock,
  extra: Pick<ProcessingRecord, 'reasonEnc'> = {},
): ProcessingRecord[] {
  const at = clock.now().toISOString();
  return processed
    .filter((p) => p.categories.length > 0 || action === 'erase')
    .map((p) => ({
      caseId: p.caseId,
      at,
      action,
      categories: DATA_CATEGORIES.filter((c) => p.categories.includes(c)),
      org: staff.provider.org,
      by: staff.provider.who,
      serviceId: p.serviceId,
      activity: findService(p.serviceId)?.processingActivity.id ?? p.serviceId,
      traceId: staff.trace.traceId,
      spanId: newSpanId(),
      parentSpanId: staff.trace.spanId,
      ...extra,
    }));
}

/** Logs the processing (before the data leaves: a use that cannot be logged does not happen). */
export async function logProcessing(
  log: ProcessingLog,
  ...args: Parameters<typeof processingRecords>
): Promise<void> {
  const records = processingRecords(...args);
  if (records.length > 0) await log.append(records);
}

/** What the citizen sees of a record: no staff, no trace ids. */
export interface ProcessingEntry {
  at: string;
  organisation: string;
  purpose: { nl: string; en: string };
  categories: DataCategory[];
  action: ProcessingAction;
  /** A delegate of the citizen, not the organisation, used the data (the name once opened). */
  delegate?: { name?: string };
}

export function processingEntry(record: ProcessingRecord, service: Service): ProcessingEntry {
  return {
    at: record.at,
    organisation: orgDisplayName(record.org),
    purpose: service.processingActivity.purpose,
    categories: record.categories,
    action: record.action,
  };
}
