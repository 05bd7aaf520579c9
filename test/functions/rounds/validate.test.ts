import { describe, expect, it, vi } from 'vitest';
import { dataCipher, roundOwner } from '../../../functions/domain/case-keys';
import { PiiVault } from '../../../functions/domain/pii';
import type { OnInvalid } from '../../../functions/rounds/model';
import { validColumns } from '../../../functions/rounds/rows';
import { ERROR_BATCH, validateRound } from '../../../functions/rounds/validate';
import { FakeRoundFiles, FakeRoundRepository, roundRecord } from '../../support/round-fakes';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

const UPLOAD = 'rounds/r1/upload.csv';
const VALID = 'rounds/r1/valid.csv';
const header = 'reference,phone,address,collectionDate\r\n';
/** A value sealed with the round's key: v2, iv, ciphertext, tag (base64url). */
const SEALED = /v2\.[\w-]+\.[\w-]+\.[\w-]+/g;
const SEALED_LINE = new RegExp(`^\\d+,${SEALED.source}$`);
const row = (i: number, phone = '0612345678') => `R-${i},${phone},Laan ${i},2026-03-10\r\n`;
const vault = new PiiVault('round-test-key-0123456789abcdefghijklmnopq');

async function run(body: string | Uint8Array, onInvalid: OnInvalid = 'reject', chunkSize = 64) {
  const rounds = new FakeRoundRepository();
  const files = new FakeRoundFiles(chunkSize);
  await rounds.createRound(roundRecord({ onInvalid, status: 'VALIDATING', attempt: 1 }));
  files.put(UPLOAD, body);
  const result = await validateRound({ rounds, files, vault }, 'r1');
  return { result, rounds, files, round: rounds.rounds.get('r1') };
}

/** valid.csv's data lines as the Map's reader and round-start-cases see them: line, and the opened cells. */
function validRows(files: FakeRoundFiles, rounds: FakeRoundRepository) {
  const round = rounds.rounds.get('r1');
  if (!round?.dataKey) throw new Error('the round has no data key');
  const cipher = dataCipher(vault, roundOwner('r1'), round);
  const lines = (files.text(VALID) ?? '').split('\r\n').slice(1, -1);
  return lines.map((l) => {
    const [line, sealed] = l.split(',');
    return { line, cells: cipher.openJson<Record<string, string>>(sealed) };
  });
}

describe('validateRound', () => {
  it('starts nothing when any row is bad and onInvalid is reject, and removes valid.csv and the upload', async () => {
    const { result, round, rounds, files } = await run(header + row(1) + row(2, '123') + row(3));
    expect(result).toEqual({ proceed: false, validated: 2 });
    expect(round).toMatchObject({
      status: 'REJECTED',
      total: 3,
      validated: 2,
      invalid: 1,
      error: '1 row has errors, so nothing was started (onInvalid is reject).',
    });
    expect(rounds.allErrors('r1').map((e) => [e.line, e.column])).toEqual([[3, 'phone']]);
    expect(files.objects.has(VALID)).toBe(false);
    // The upload holds every row in clear: a refused one does not stay.
    expect(files.removed).toEqual([UPLOAD, VALID]);
    expect(files.objects.has(UPLOAD)).toBe(false);
  });

  it('starts the good rows when onInvalid is skip', async () => {
    const { result, round, rounds, files } = await run(header + row(1) + row(2, '123') + row(3), 'skip');
    expect(result).toEqual({ proceed: true, validated: 2 });
    expect(round).toMatchObject({ status: 'STARTING', total: 3, validated: 2, invalid: 1 });
    expect(round?.error).toBeUndefined();
    // The Map reads the line in clear and the row sealed with the round's key: nothing personal in clear.
    const text = files.text(VALID) ?? '';
    expect(text.split('\r\n')[0]).toBe('line,row');
    expect(validColumns().join(',')).toBe('line,row');
    // Every data line is its number and one sealed value. The needles are looked for outside the sealed
    // values: those are random base64url, which spells a short one such as R-1 now and then (a CI run did).
    const lines = text.split('\r\n').slice(1, -1);
    expect(lines.every((line) => SEALED_LINE.test(line))).toBe(true);
    const outsideSealed = text.replaceAll(SEALED, '');
    for (const clear of ['R-1', 'Laan', '612345678']) expect(outsideSealed).not.toContain(clear);
    expect(validRows(files, rounds)).toEqual([
      {
        line: '2',
        cells: expect.objectContaining({ reference: 'R-1', phone: '+31612345678', address: 'Laan 1' }),
      },
      {
        line: '4',
        cells: expect.objectContaining({ reference: 'R-3', phone: '+31612345678', address: 'Laan 3' }),
      },
    ]);
    // Every column of the service, in order (blank ones empty).
    expect(Object.keys(validRows(files, rounds)[0]?.cells ?? {})).toEqual([
      'reference',
      'name',
      'phone',
      'email',
      'locale',
      'address',
      'collectionDate',
      'bins',
      'kind',
      'gate',
    ]);
  });

  it('rejects a file without valid rows, or without rows, whatever onInvalid says', async () => {
    const bad = await run(header + row(1, '1'), 'skip');
    expect(bad.result).toEqual({ proceed: false, validated: 0 });
    expect(bad.round).toMatchObject({
      status: 'REJECTED',
      error: 'No row is valid, so nothing was started.',
    });
    const empty = await run(header, 'skip');
    expect(empty.round).toMatchObject({ status: 'REJECTED', total: 0, error: 'The file has no rows.' });
  });

  it('rejects a bad header as a file error on line 1, reading no further', async () => {
    const body = `reference,phone,iban\r\n${row(1).repeat(500)}`;
    const { result, round, rounds, files } = await run(body, 'skip');
    expect(result).toEqual({ proceed: false, validated: 0 });
    expect(round).toMatchObject({ status: 'REJECTED', total: 0 });
    expect(round?.error).toBe('The header row is not right (3 problems), so nothing was started.');
    expect(rounds.allErrors('r1').map((e) => e.column)).toEqual(['iban', 'address', 'collectionDate']);
    expect(files.log.filter((l) => l.startsWith('read')).length).toBe(1);
    expect(files.objects.has(VALID)).toBe(false);
    expect(files.objects.has(UPLOAD)).toBe(false);
  });

  it('treats broken CSV mid-file as a file error with its line: REJECTED, valid.csv gone', async () => {
    const body = `${header}${row(1)}${row(2)}R-3,"0612345678,x,2026-03-10\r\n${row(4)}`;
    const { result, round, rounds, files } = await run(body, 'skip');
    expect(result.proceed).toBe(false);
    expect(round?.status).toBe('REJECTED');
    expect(rounds.allErrors('r1')).toEqual([
      { line: 4, column: '(row)', reason: 'a quoted field is never closed' },
    ]);
    expect(round?.error).toBe(
      'The file cannot be read from line 4 (a quoted field is never closed), so nothing was started.',
    );
    expect(files.objects.has(VALID)).toBe(false);
    expect(files.objects.has(UPLOAD)).toBe(false);
  });

  it('names a file that is not UTF-8, and an empty file', async () => {
    // 'R-é' in Latin-1; byte by byte, so the decoder fails on the line of the bad byte.
    const bytes = new Uint8Array([...new TextEncoder().encode(header), 0x52, 0x2d, 0xe9, 0x0d, 0x0a]);
    const latin1 = await run(bytes, 'reject', 1);
    expect(latin1.round?.status).toBe('REJECTED');
    expect(latin1.rounds.allErrors('r1')).toEqual([
      { line: 2, column: '(row)', reason: 'the file is not UTF-8 text; save it as "CSV UTF-8"' },
    ]);
    const empty = await run('');
    expect(empty.rounds.allErrors('r1')).toEqual([
      { line: 1, column: '(row)', reason: 'the file is empty; the first line must name the columns' },
    ]);
    expect(empty.round?.error).toBe(
      'The file cannot be read from line 1 (the file is empty; the first line must name the columns), so nothing was started.',
    );
  });

  it('skips rows of empty cells, as a spreadsheet writes the rows it once formatted', async () => {
    const { result, round } = await run(`${header}${row(1)},,,\r\n , ,,\r\n${row(4)},,,\r\n`, 'reject');
    expect(result).toEqual({ proceed: true, validated: 2 });
    expect(round).toMatchObject({ status: 'STARTING', total: 2, validated: 2, invalid: 0 });
  });

  it('names the line of the first byte that is not UTF-8 in a file read in one chunk, not the header', async () => {
    // Excel's "CSV" on Windows: Windows-1252, 'é' as one byte, here in the second data row (line 3).
    const text = new TextEncoder().encode(header + row(1));
    const latin1 = new Uint8Array([...text, 0x52, 0x2d, 0xe9, 0x0d, 0x0a]);
    const cutShort = new Uint8Array([...new TextEncoder().encode(header + row(1) + row(2)), 0xe9]);
    for (const body of [latin1, cutShort]) {
      const { round, rounds } = await run(body, 'skip', 1 << 20);
      const line = body === latin1 ? 3 : 4;
      expect(rounds.allErrors('r1')).toEqual([
        { line, column: '(row)', reason: 'the file is not UTF-8 text; save it as "CSV UTF-8"' },
      ]);
      expect(round?.error).toBe(
        `The file cannot be read from line ${line} (the file is not UTF-8 text; save it as "CSV UTF-8"), so nothing was started.`,
      );
    }
  });

  it('streams 1,000 rows: valid.csv is written while the upload is still being read', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(i + 1, i % 100 === 99 ? 'x' : '0612345678'));
    const { result, round, files, rounds } = await run(header + rows.join(''), 'skip');
    expect(result).toEqual({ proceed: true, validated: 990 });
    expect(round).toMatchObject({ status: 'STARTING', total: 1000, validated: 990, invalid: 10 });
    const reads = files.log.filter((l) => l.startsWith('read')).length;
    expect(reads).toBe(Math.ceil((header.length + rows.join('').length) / 64));
    // The first data line went out after a handful of 64-byte chunks, long before the last one.
    const firstRowWrite = files.log.indexOf(`write ${VALID}`, files.log.indexOf(`write ${VALID}`) + 1);
    expect(files.log.slice(0, firstRowWrite).filter((l) => l.startsWith('read')).length).toBeLessThanOrEqual(
      3,
    );
    expect(files.text(VALID)?.split('\r\n').length).toBe(992);
    expect(rounds.allErrors('r1')).toHaveLength(10);
  });

  it('writes row errors a few hundred at a time', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => row(i + 1, 'x')).join('');
    const { rounds } = await run(header + rows, 'skip');
    expect(rounds.errorBatches).toEqual([ERROR_BATCH, ERROR_BATCH, 600 - 2 * ERROR_BATCH]);
    expect(rounds.allErrors('r1')).toHaveLength(600);
  });

  it('gives the same result when run again (a Lambda retry)', async () => {
    const rounds = new FakeRoundRepository();
    const files = new FakeRoundFiles();
    await rounds.createRound(roundRecord({ onInvalid: 'skip', status: 'VALIDATING', attempt: 1 }));
    files.put(UPLOAD, header + row(1) + row(2, 'x'));
    const first = await validateRound({ rounds, files, vault }, 'r1');
    const valid = validRows(files, rounds);
    const key = rounds.rounds.get('r1')?.dataKey;
    const again = await validateRound({ rounds, files, vault }, 'r1');
    expect(again).toEqual(first);
    // The same rows under the same round key (sealed afresh: each value has its own nonce).
    expect(rounds.rounds.get('r1')?.dataKey).toBe(key);
    expect(validRows(files, rounds)).toEqual(valid);
    expect(rounds.allErrors('r1')).toHaveLength(1);
    expect(rounds.rounds.get('r1')).toMatchObject({ total: 2, validated: 1, invalid: 1 });
  });

  it('lets an infrastructure failure through (the state machine retries)', async () => {
    const rounds = new FakeRoundRepository();
    const files = new FakeRoundFiles();
    await rounds.createRound(roundRecord({ status: 'VALIDATING', attempt: 1 }));
    await expect(validateRound({ rounds, files, vault }, 'r1')).rejects.toThrow('NoSuchKey');
    expect(rounds.rounds.get('r1')?.status).toBe('VALIDATING');
    files.put(UPLOAD, header + row(1));
    files.write = async () => {
      throw new Error('S3 is down');
    };
    await expect(validateRound({ rounds, files, vault }, 'r1')).rejects.toThrow('S3 is down');
  });
});
