// Rounds: one service started for many households at once from a CSV file. Plain data, no AWS types.

import type { CaseStatus } from '../domain/model';

/** What the caller chose for a file with bad rows: start the good rows, or start nothing. */
export type OnInvalid = 'skip' | 'reject';

/**
 * AWAITING_UPLOAD: created, the CSV is not uploaded (or not started) yet.
 * VALIDATING: the round machine is checking every row.  REJECTED: bad rows and onInvalid = reject; nothing started.
 * STARTING: the Distributed Map is starting cases.  STARTED: every good row has its case (or a failure).
 * FAILED: the round machine stopped (tolerated failure percentage exceeded, or an error); `error` says why.
 */
export type RoundStatus = 'AWAITING_UPLOAD' | 'VALIDATING' | 'REJECTED' | 'STARTING' | 'STARTED' | 'FAILED';

/** A row that failed validation. `column` is a CSV header name, or '(row)' for the row as a whole. */
export interface RowError {
  line: number;
  column: string;
  reason: string;
}

/**
 * A valid row whose case could not be started, as stored: its reference (it may name the household)
 * sealed with the round's data key, and a reason that never repeats a value.
 */
export interface RowFailure {
  line: number;
  referenceEnc?: string;
  /** In clear only on rounds from before round keys. */
  reference?: string;
  reason: string;
}

/** A row failure as staff see it: the reference opened. */
export interface RowFailureView {
  line: number;
  reference: string;
  reason: string;
}

export interface RoundRecord {
  roundId: string;
  org: string;
  serviceId: string;
  /** The caller's name for the round; (org, serviceId, name) determines roundId. */
  name: string;
  onInvalid: OnInvalid;
  status: RoundStatus;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  /** Increases with every start; the round execution is named `<roundId>-<attempt>`. */
  attempt: number;
  /** Data rows in the file (header excluded). */
  total: number;
  /** Rows that passed validation. */
  validated: number;
  invalid: number;
  /** Cases created by this round (exact after the round finished; counted live while starting). */
  started: number;
  failed: number;
  completed: number;
  expired: number;
  cancelled: number;
  /** Why the round FAILED (or was REJECTED), in one sentence. */
  error?: string;
  /** The round's data key, wrapped by the stack's key: it seals the rows in valid.csv and the failures. */
  dataKey?: string;
  ttl: number;
}

export interface RoundView {
  round: RoundRecord;
  /** The first rows with errors, by line (at most `limit`). */
  errors: RowError[];
  failures: RowFailureView[];
}

/** Where the round's cases are now: per stage (active cases) and per status. */
export interface RoundSpread {
  stages: Record<string, number>;
  statuses: Partial<Record<CaseStatus, number>>;
  counted: number;
}

/** The columns every round file has; a service adds its own `context` fields after these. */
export const BASE_COLUMNS = ['reference', 'name', 'phone', 'email', 'locale'] as const;

/** S3 keys of a round's files. The upload is the caller's file, `valid` the validated rows only. */
export const roundKeys = {
  upload: (roundId: string) => `rounds/${roundId}/upload.csv`,
  valid: (roundId: string) => `rounds/${roundId}/valid.csv`,
} as const;
