import { findService } from '../../workflows/catalog';
import type { Service } from '../../workflows/schema';
import type { CaseDto } from './case-dto';
import type { CaseRecord, StepRecord } from './model';
import type { Clock } from './ports';
import {
  type DataCategory,
  logProcessing,
  type ProcessingAction,
  type ProcessingLog,
  type Staff,
} from './processing-log';
import { categoriesShown } from './views';

// Logging staff's uses of personal data, from what the use touched: the categories a view shows, or
// the categories a case holds. Every caller logs before the data leaves the function.

export interface LogDeps {
  log: ProcessingLog;
  clock: Clock;
  /** The catalogue (the processing activity per service); the real one unless a test passes its own. */
  findService?: (serviceId: string) => Service | undefined;
}

/** One read record per case view shown to staff (a case whose view holds nothing personal: none). */
export function logReads(deps: LogDeps, staff: Staff, views: readonly CaseDto[]): Promise<void> {
  const processed = views.map((dto) => ({
    caseId: dto.caseId,
    serviceId: dto.serviceId,
    categories: categoriesShown(dto),
  }));
  return logProcessing(deps.log, staff, 'read', processed, deps.findService ?? findService, deps.clock);
}

/** One record of a change (create, update, erase) to the given categories of one case. */
export function logChange(
  deps: LogDeps,
  staff: Staff,
  action: ProcessingAction,
  record: Pick<CaseRecord, 'caseId' | 'serviceId'>,
  categories: readonly DataCategory[],
  reasonEnc?: string,
): Promise<void> {
  const processed = [{ caseId: record.caseId, serviceId: record.serviceId, categories }];
  return logProcessing(
    deps.log,
    staff,
    action,
    processed,
    deps.findService ?? findService,
    deps.clock,
    reasonEnc === undefined ? {} : { reasonEnc },
  );
}

/** The categories of personal data a stored case holds (without opening any of it). */
export function categoriesHeld(record: CaseRecord, steps: readonly StepRecord[]): DataCategory[] {
  const held: DataCategory[] = [];
  const c = record.citizen;
  if (c.nameEnc ?? c.phoneEnc ?? c.emailEnc) held.push('contact');
  if (record.referenceEnc ?? record.reference) held.push('reference');
  if (record.contextEnc) held.push('context');
  const answered = (actor: StepRecord['actor']) =>
    steps.some((s) => s.actor === actor && (s.dataEnc !== undefined || s.data !== undefined));
  if (answered('citizen')) held.push('answers');
  if (answered('provider')) held.push('notes');
  return held;
}
