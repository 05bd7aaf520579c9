import type { PageKey, RoundCounters } from '../domain/ports';
import type { RoundRecord, RoundSpread, RoundStatus, RowError, RowFailure } from './model';

// How the round use cases reach storage, files and the round state machine. Implemented beside them
// (dynamo-rounds.ts, s3-round-files.ts, sfn-round-engine.ts); the rules never see an AWS type.

/** The round item, its row reports and its cases; its live counters through RoundCounters (domain/ports.ts). */
export interface RoundRepository extends RoundCounters {
  /** Creates the round; 'exists' when the roundId is taken (the same name again). */
  createRound(record: RoundRecord): Promise<'created' | 'exists'>;
  getRound(roundId: string): Promise<RoundRecord | undefined>;
  /** Newest first; `next` is absent on the last page. */
  listRounds(query: { org: string; serviceId: string; limit: number; after?: PageKey }): Promise<{
    items: RoundRecord[];
    next?: PageKey;
  }>;
  /**
   * A new attempt: status -> VALIDATING, attempt + 1, counters reset; only while the status is one of
   * `from` and the attempt is still `attempt` (two concurrent starts: one wins). False when refused.
   */
  beginAttempt(roundId: string, attempt: number, from: RoundStatus[], at: string): Promise<boolean>;
  /**
   * The round's data key: the one it has, or `wrapped` when it has none yet (written once, so every
   * attempt and every batch of the round use the same key).
   */
  ensureDataKey(roundId: string, wrapped: string): Promise<string>;
  /** SET fields (status, counters, error...) and updatedAt. */
  updateRound(roundId: string, fields: Partial<RoundRecord>): Promise<void>;
  /** Idempotent: the same line again overwrites. Written in batches. */
  putRowErrors(roundId: string, errors: RowError[]): Promise<void>;
  putRowFailures(roundId: string, failures: RowFailure[]): Promise<void>;
  /** Removes every row error and failure of the round (a new attempt starts clean). */
  clearRowReports(roundId: string): Promise<void>;
  /** Every error of the first `rows` rows that have errors, by line. */
  rowErrors(roundId: string, rows: number): Promise<RowError[]>;
  rowFailures(roundId: string, limit: number): Promise<RowFailure[]>;
  countRowFailures(roundId: string): Promise<number>;
  /** Exact number of cases that carry this roundId (the byRound index). */
  countRoundCases(roundId: string): Promise<number>;
  /** Stage and status of every case of the round, counted from the byRound index. */
  roundSpread(roundId: string): Promise<RoundSpread>;
}

/** The round's files (S3 on AWS, s3rver locally). */
export interface RoundFiles {
  /** A URL the caller PUTs the CSV to (Content-Type text/csv), valid for `expiresInSeconds`. */
  uploadUrl(key: string, expiresInSeconds: number): Promise<string>;
  exists(key: string): Promise<boolean>;
  /** The object as a stream of chunks: never the whole file in memory. */
  read(key: string): AsyncIterable<Uint8Array>;
  /** Writes a stream of text chunks as one object (multipart): never the whole file in memory. */
  write(key: string, chunks: AsyncIterable<string>, contentType: string): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** The round state machine. */
export interface RoundEngine {
  /** Starts the round execution named `<roundId>-<attempt>`; a repeat of the same name is not an error. */
  startRound(roundId: string, attempt: number, input: Record<string, unknown>): Promise<void>;
}
