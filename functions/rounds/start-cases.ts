import { dataCipher, roundOwner } from '../domain/case-keys';
import {
  type CaseDeps,
  type CreateCaseBody,
  completeCreate,
  type PreparedCase,
  prepareCase,
} from '../domain/cases';
import { requireService } from '../domain/definitions';
import type { Locale } from '../domain/model';
import type { CaseBatchCreator } from '../domain/ports';
import type { Staff, Trace } from '../domain/processing-log';
import { AppError, ConflictError } from '../shared/errors';
import type { RowFailure } from './model';
import type { RoundRepository } from './ports';

// One batch of the round machine's Distributed Map: a case for every valid row. The case id comes
// from the round and the row's reference, so a batch that runs twice (a retry, or a restart after a
// crash) finds its cases instead of creating them again. The rows arrive sealed with the round's key
// (validate.ts) and are opened here, in memory; each new case is logged as created by the staff
// member who created the round.

export interface StartCasesDeps extends CaseDeps {
  /** Writes the batch's cases together: the same repository as `repo`, seen through another port. */
  batches: CaseBatchCreator;
  rounds: RoundRepository;
  /** Pacing per batch; STARTS_PER_SECOND unless a test needs another. */
  startsPerSecond?: number;
}

/** A row of valid.csv as the Map's CSV reader hands it over: `line` and the sealed `row`, as strings. */
export type ValidCsvRow = Record<string, string>;

export interface StartBatch {
  BatchInput: { roundId: string; org: string; serviceId: string };
  Items: ValidCsvRow[];
}

export interface StartedBatch {
  started: number;
  existing: number;
  failed: number;
}

/** Rows started at the same time: enough to hide the latency of a create plus StartExecution. */
export const IN_FLIGHT = 8;

/**
 * At most this many row starts per second per batch. With the round machine's MaxConcurrency (10 by
 * default) that is 100 StartExecution calls per second for the whole round: under the smallest
 * Regions' refill rate of 150 per second, whatever the latency (README, "Rounds on AWS").
 */
export const STARTS_PER_SECOND = 10;

export const FAILURE_REASONS = {
  conflict: 'reference already used in this round with other data',
  unreadable: 'the row cannot be read with the round key; start the round again',
} as const;

/** The body a row's cells stand for: the same row always makes the same body (and request hash). */
export function rowBody(
  serviceId: string,
  contextIds: string[],
  row: Record<string, string>,
): CreateCaseBody {
  const value = (key: string) => (row[key] ?? '').trim();
  const citizen: CreateCaseBody['citizen'] = { locale: (value('locale') || 'nl') as Locale };
  for (const key of ['name', 'phone', 'email'] as const) if (value(key)) citizen[key] = value(key);
  const context: Record<string, string> = {};
  for (const id of contextIds) if (value(id)) context[id] = value(id);
  return { serviceId, citizen, reference: value('reference'), context };
}

export async function startRoundCases(
  deps: StartCasesDeps,
  batch: StartBatch,
  trace: Trace,
): Promise<StartedBatch> {
  const { roundId, org, serviceId } = batch.BatchInput;
  const service = requireService(serviceId);
  const contextIds = service.context.map((f) => f.id);
  const round = await deps.rounds.getRound(roundId);
  if (!round) throw new Error(`round ${roundId} does not exist`);
  const cipher = dataCipher(deps.vault, roundOwner(roundId), round);
  // The round was created by staff of the service's provider kind (createRound checks it).
  const staff: Staff = { provider: { org, orgKind: service.providerKind, who: round.createdBy }, trace };
  const result: StartedBatch = { started: 0, existing: 0, failed: 0 };
  const failures: RowFailure[] = [];

  // A row's failure is the row's own (a client error); anything else is infrastructure and fails the batch.
  const rowFailed = (line: string, reference: string, error: unknown) => {
    if (!(error instanceof AppError)) throw error;
    const reason =
      error instanceof ConflictError && error.code === 'IDEMPOTENCY_KEY_REUSED'
        ? FAILURE_REASONS.conflict
        : error.message;
    failures.push({ line: Number(line), referenceEnc: cipher.seal(reference), reason });
  };

  // Every row's case first, written together (links and creation events in batches); then the starts.
  const rows: { line: string; reference: string; prepared: PreparedCase }[] = [];
  for (const row of batch.Items) {
    const cells = cipher.openJson<Record<string, string>>(row.row);
    if (!cells) {
      failures.push({ line: Number(row.line), reason: FAILURE_REASONS.unreadable });
      continue;
    }
    const body = rowBody(serviceId, contextIds, cells);
    const reference = body.reference ?? '';
    try {
      const prepared = prepareCase(deps, staff, body, `round:${roundId}:${reference}`, { roundId });
      rows.push({ line: row.line as string, reference, prepared });
    } catch (error) {
      rowFailed(row.line as string, reference, error);
    }
  }
  const outcomes = await deps.batches.createCases(rows.map(({ prepared }) => prepared));

  const startRow = async (index: number) => {
    const { line, reference, prepared } = rows[index] as (typeof rows)[number];
    try {
      const { created } = await completeCreate(deps, staff, prepared, outcomes[index] ?? 'exists');
      if (created) result.started++;
      else result.existing++;
    } catch (error) {
      rowFailed(line, reference, error);
    }
  };

  // A few rows in flight, paced; after an infrastructure error no new row starts, the ones in flight finish.
  let next = 0;
  let broken: { error: unknown } | undefined;
  const gap = 1000 / (deps.startsPerSecond ?? STARTS_PER_SECOND);
  const began = Date.now();
  const worker = async () => {
    while (!broken && next < rows.length) {
      const index = next++;
      const wait = began + index * gap - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await startRow(index).catch((error: unknown) => {
        broken ??= { error };
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, rows.length) }, worker));
  result.failed = failures.length;
  if (failures.length > 0) await deps.rounds.putRowFailures(roundId, failures);
  if (result.started > 0 || result.failed > 0)
    await deps.rounds.addToCounters(roundId, {
      ...(result.started > 0 && { started: result.started }),
      ...(result.failed > 0 && { failed: result.failed }),
    });
  // Counted before failing, so the retry of this batch (which finds these cases) does not count them again.
  if (broken) throw broken.error;
  return result;
}
