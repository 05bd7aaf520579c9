import type { Service } from '../../workflows/schema';
import { DAY_MS } from './clock';

// How long a completed case may be reopened (Service.reopen.windowDays), said once: the reopening itself
// (reopen.ts) refuses past it, and both case pages offer the form until it ends. Apart from reopen.ts so
// the pages do not bring in the reopening's own imports.

/** The last moment (ms since the epoch) a case completed at `completedAt` may be reopened. */
export function reopenWindowEnd(completedAt: string, windowDays: number): number {
  return Date.parse(completedAt) + windowDays * DAY_MS;
}

/** Until when a case may be reopened, or undefined when it may not be (now): not completed, erased, or too late. */
export function reopenableUntil(
  view: { status: string; updatedAt: string; erased?: unknown },
  service: Service,
  now: Date,
): Date | undefined {
  if (view.status !== 'COMPLETED' || !service.reopen || view.erased) return undefined;
  const end = reopenWindowEnd(view.updatedAt, service.reopen.windowDays);
  return now.getTime() <= end ? new Date(end) : undefined;
}
