import { dataCipher, newDataKey, roundOwner } from '../domain/case-keys';
import { CsvError, csvLine, parseCsv } from '../domain/csv';
import { requireService } from '../domain/definitions';
import type { PiiVault } from '../domain/pii';
import { type RoundRecord, type RowError, roundKeys } from './model';
import type { RoundFiles, RoundRepository } from './ports';
import { checkHeader, REASONS, ROW, RowValidator, validColumns, validFields } from './rows';

// The first state of the round machine: every row of upload.csv is checked before anything starts.
// The file is streamed: read in chunks, parsed record by record, and the good rows are written to
// valid.csv (which the Distributed Map reads) while the rest is still being read. The Map hands the
// rows to its child executions, whose input and history Step Functions keeps: each row is sealed with
// the round's data key, only its line number stays in clear.

export interface ValidateDeps {
  rounds: RoundRepository;
  files: RoundFiles;
  vault: PiiVault;
}

export interface Validation {
  proceed: boolean;
  validated: number;
}

/** Row errors are written a few hundred at a time: a file full of errors costs few round trips. */
export const ERROR_BATCH = 250;

class FileError extends Error {
  constructor(readonly rowError: RowError) {
    super(rowError.reason);
  }
}

export async function validateRound(deps: ValidateDeps, roundId: string): Promise<Validation> {
  const round = await deps.rounds.getRound(roundId);
  if (!round) throw new Error(`round ${roundId} does not exist`);
  const service = requireService(round.serviceId);
  const owner = roundOwner(roundId);
  const dataKey = await deps.rounds.ensureDataKey(roundId, newDataKey(deps.vault, owner).wrapped);
  const cipher = dataCipher(deps.vault, owner, { dataKey });
  const counts = { total: 0, validated: 0, invalid: 0 };
  let pending: RowError[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await deps.rounds.putRowErrors(roundId, batch);
  };

  const records = parseCsv(deps.files.read(roundKeys.upload(roundId)))[Symbol.asyncIterator]();
  // Remembered here too: the file store may wrap what the stream of lines throws.
  let csvError: CsvError | undefined;
  let headerErrors: RowError[] | undefined;
  let wrote = false;
  try {
    const first = await records.next();
    if (first.done) throw new FileError({ line: 1, column: ROW, reason: REASONS.empty });
    const header = checkHeader(service, first.value.fields);
    if (!header.ok) {
      headerErrors = header.errors;
      pending.push(...header.errors);
      throw new FileError(header.errors[0] as RowError);
    }
    const validator = new RowValidator(service, header);
    const validLines = async function* (): AsyncGenerator<string> {
      yield csvLine(validColumns());
      try {
        for (let next = await records.next(); !next.done; next = await records.next()) {
          // A row of empty cells (',,,,' as a spreadsheet writes a row it once formatted) is no household.
          if (next.value.fields.every((field) => field.trim() === '')) continue;
          counts.total++;
          const result = validator.check(next.value.line, next.value.fields);
          if (result.ok) {
            counts.validated++;
            yield csvLine(validFields(service, result.row, cipher));
          } else {
            counts.invalid++;
            pending.push(...result.errors);
            if (pending.length >= ERROR_BATCH) await flush();
          }
        }
      } catch (error) {
        if (error instanceof CsvError) csvError = error;
        throw error;
      }
    };
    wrote = true;
    await deps.files.write(roundKeys.valid(roundId), validLines(), 'text/csv');
  } catch (error) {
    const fileError = asFileError(csvError ?? error);
    if (!fileError) throw error;
    if (!pending.some((e) => e.line === fileError.rowError.line && e.column === fileError.rowError.column))
      pending.push(fileError.rowError);
    const sentence = fileSentence(fileError.rowError, headerErrors);
    await flush();
    return reject(deps, round, counts, wrote, sentence);
  } finally {
    // Closes the read stream when the header already decided (or the write gave up early).
    await records.return?.(undefined).catch(() => undefined);
  }
  await flush();
  if (counts.invalid > 0 && round.onInvalid === 'reject') {
    const rows = counts.invalid === 1 ? '1 row has' : `${counts.invalid} rows have`;
    return reject(
      deps,
      round,
      counts,
      wrote,
      `${rows} errors, so nothing was started (onInvalid is reject).`,
    );
  }
  if (counts.validated === 0) {
    const why = counts.total === 0 ? 'The file has no rows.' : 'No row is valid, so nothing was started.';
    return reject(deps, round, counts, wrote, why);
  }
  await deps.rounds.updateRound(roundId, { status: 'STARTING', ...counts });
  return { proceed: true, validated: counts.validated };
}

function asFileError(error: unknown): FileError | undefined {
  if (error instanceof FileError) return error;
  if (error instanceof CsvError) {
    const reason = error.message.replace(/^line \d+: /, '');
    return new FileError({ line: error.line, column: ROW, reason });
  }
  return undefined;
}

/**
 * Why the file was refused as a whole. `header`: the header row's problems, when it was the header that
 * failed; anything else (not UTF-8, a broken quote, an empty file) is said with its line, even line 1.
 */
function fileSentence(first: RowError, header: RowError[] | undefined): string {
  if (header) {
    const columns = header.length;
    return `The header row is not right (${columns === 1 ? '1 problem' : `${columns} problems`}), so nothing was started.`;
  }
  return `The file cannot be read from line ${first.line} (${first.reason}), so nothing was started.`;
}

async function reject(
  deps: ValidateDeps,
  round: RoundRecord,
  counts: { total: number; validated: number; invalid: number },
  wrote: boolean,
  error: string,
): Promise<Validation> {
  // Nothing of a refused file lingers: its valid rows (sealed) will never start, and the upload holds
  // every row in clear (names, numbers, addresses), while another start would refuse it the same way.
  // A new attempt needs a new upload, as after a round that started (round-finish).
  const files = [roundKeys.upload(round.roundId), ...(wrote ? [roundKeys.valid(round.roundId)] : [])];
  await deps.files.remove(files);
  await deps.rounds.updateRound(round.roundId, { status: 'REJECTED', error, ...counts });
  return { proceed: false, validated: counts.validated };
}
