import type { Actor } from '../domain/model';

// The report reaches storage only through these interfaces (functions/adapters/dynamo-report.ts).

/** One aggregate: a service's figures of one day (UTC), one stage and one side. */
export interface TallyKey {
  org: string;
  serviceId: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  stageId: string;
  side: Actor;
}

/**
 * The counters of an aggregate. `visits`, `waited` (seconds this side waited on the other, summed),
 * `shared` (seconds both were busy, summed) and `h<i>` (visits whose waiting fell in histogram bucket i)
 * count stage visits; `reminders` and `overdue` the side's reminders and escalations; `feedbackYes` and
 * `feedbackNo` the side's answers to "did the partnership go well?".
 */
export type Counters = Record<string, number>;

export interface Addition {
  key: TallyKey;
  counts: Counters;
}

/** What makes an addition count once: a marker in the case's partition, kept as long as the case. */
export interface TallyMark {
  caseId: string;
  /** Names the fact counted: a stage visit, a reminder's wait segment, a feedback answer. */
  id: string;
  /** Epoch seconds: the case's ttl. */
  ttl: number;
}

export interface TallyRow {
  day: string;
  stageId: string;
  side: Actor;
  counts: Counters;
}

export interface ReportTally {
  /**
   * Adds the counts once per mark: a repeat or a concurrent copy of the same fact adds nothing
   * (false). The mark is claimed first, then the counts are added: a crash between the two loses
   * that one fact from the report rather than counting it twice.
   */
  addOnce(mark: TallyMark, additions: readonly Addition[]): Promise<boolean>;
  /** The aggregates of an organisation's service from `from` to `to` (days, inclusive). */
  read(org: string, serviceId: string, from: string, to: string): Promise<TallyRow[]>;
}
