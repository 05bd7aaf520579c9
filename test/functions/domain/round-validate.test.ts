import { describe, expect, it, vi } from 'vitest';
import type { OnInvalid } from '../../../functions/domain/round-model';
import { validColumns } from '../../../functions/domain/round-rows';
import { ERROR_BATCH, validateRound } from '../../../functions/domain/round-validate';
import { FakeRoundFiles, FakeRoundRepository, roundRecord, roundService } from '../../support/round-fakes';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

const UPLOAD = 'rounds/r1/upload.csv';
const VALID = 'rounds/r1/valid.csv';
const header = 'reference,phone,address,collectionDate\r\n';
const row = (i: number, phone = '0612345678') => `R-${i},${phone},Laan ${i},2026-03-10\r\n`;

async function run(body: string | Uint8Array, onInvalid: OnInvalid = 'reject', chunkSize = 64) {
  const rounds = new FakeRoundRepository();
  const files = new FakeRoundFiles(chunkSize);
  await rounds.createRound(roundRecord({ onInvalid, status: 'VALIDATING', attempt: 1 }));
  files.put(UPLOAD, body);
  const result = await validateRound({ rounds, files }, 'r1');
  return { result, rounds, files, round: rounds.rounds.get('r1') };
}

describe('validateRound', () => {
  it('starts nothing when any row is bad and onInvalid is reject, and removes valid.csv', async () => {
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
    expect(files.removed).toEqual([VALID]);
    expect(files.objects.has(UPLOAD)).toBe(true);
  });

  it('starts the good rows when onInvalid is skip', async () => {
    const { result, round, files } = await run(header + row(1) + row(2, '123') + row(3), 'skip');
    expect(result).toEqual({ proceed: true, validated: 2 });
    expect(round).toMatchObject({ status: 'STARTING', total: 3, validated: 2, invalid: 1 });
    expect(round?.error).toBeUndefined();
    const lines = files.text(VALID)?.split('\r\n');
    expect(lines?.[0]).toBe('line,reference,name,phone,email,locale,address,collectionDate,bins,kind,gate');
    expect(validColumns(roundService).join(',')).toBe(lines?.[0]);
    expect(lines?.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([['2', 'R-1'], ['4', 'R-3'], ['']]);
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
    const first = await validateRound({ rounds, files }, 'r1');
    const valid = files.text(VALID);
    const again = await validateRound({ rounds, files }, 'r1');
    expect(again).toEqual(first);
    expect(files.text(VALID)).toBe(valid);
    expect(rounds.allErrors('r1')).toHaveLength(1);
    expect(rounds.rounds.get('r1')).toMatchObject({ total: 2, validated: 1, invalid: 1 });
  });

  it('lets an infrastructure failure through (the state machine retries)', async () => {
    const rounds = new FakeRoundRepository();
    const files = new FakeRoundFiles();
    await rounds.createRound(roundRecord({ status: 'VALIDATING', attempt: 1 }));
    await expect(validateRound({ rounds, files }, 'r1')).rejects.toThrow('NoSuchKey');
    expect(rounds.rounds.get('r1')?.status).toBe('VALIDATING');
    files.put(UPLOAD, header + row(1));
    files.write = async () => {
      throw new Error('S3 is down');
    };
    await expect(validateRound({ rounds, files }, 'r1')).rejects.toThrow('S3 is down');
  });
});
