import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { putFile } from '../../local/runtime/round-client';
import { WASTE_HEADER, wasteRow, writeWasteCsv } from '../../local/runtime/round-csv';
import type { LocalSystem, Loose } from './harness';
import { casesByReference, createRound, roundEnded, runRound, startRound, tempFile } from './rounds';
import { withLocalSystem } from './setup';

const ORG = 'gemeente-foutjes';
const SERVICE = 'waste-collection';
let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const COL = Object.fromEntries(WASTE_HEADER.map((c, i) => [c, i])) as Record<string, number>;
/** 12 rows; line = index + 2. Four of them are bad, each in one known way. */
function row(prefix: string) {
  return (i: number): string[] => {
    const f = wasteRow(i, prefix).fields;
    const set = (column: string, value: string) => {
      f[COL[column] as number] = value;
    };
    if (i === 3) set('phone', '0201234567'); // line 5: a landline
    if (i === 6) set('collectionDate', '2026-02-30'); // line 8: no such date
    if (i === 8) {
      set('phone', ''); // line 10: no way to reach them
      set('email', '');
    }
    if (i === 10) set('reference', `${prefix}-000000`); // line 12: the reference of line 2
    return f;
  };
}
const BAD = [
  { line: 5, column: 'phone' },
  { line: 8, column: 'collectionDate' },
  { line: 10, column: '(row)' },
  { line: 12, column: 'reference' },
];
const GOOD = [0, 1, 2, 4, 5, 7, 9, 11];

const shape = (errors: Loose[]) => errors.map((e) => ({ line: e.line, column: e.column }));

describe('bad rows', () => {
  it('rejects the whole file when asked to, starting nothing, naming line and column', async () => {
    const file = tempFile('bad.csv');
    await writeWasteCsv(file, 12, row('rej'));
    const round = await runRound(sys, staff, file, {
      serviceId: SERVICE,
      name: 'streng',
      onInvalid: 'reject',
    });
    expect(round).toMatchObject({ status: 'REJECTED', total: 12, validated: 8, invalid: 4, started: 0 });
    expect(shape(round.errors)).toEqual(BAD);
    for (const e of round.errors) expect(e.reason).toMatch(/\w{3}/);
    expect(round.errors[3].reason).toContain('line 2');
    // Reasons never echo the refused value (personal data).
    expect(JSON.stringify(round.errors)).not.toContain('0201234567');
    expect((await casesByReference(sys, staff, SERVICE, 'rej-')).size).toBe(0);
  });

  it('starts the good rows when asked to skip the bad ones, and reports the bad ones', async () => {
    const file = tempFile('bad.csv');
    await writeWasteCsv(file, 12, row('skip'));
    const body = { serviceId: SERVICE, name: 'soepel', onInvalid: 'skip' } as const;
    const round = await runRound(sys, staff, file, body);
    expect(round).toMatchObject({
      status: 'STARTED',
      total: 12,
      validated: 8,
      invalid: 4,
      started: 8,
      failed: 0,
    });
    expect(shape(round.errors)).toEqual(BAD);
    const cases = await casesByReference(sys, staff, SERVICE, 'skip-');
    expect([...cases.keys()].sort()).toEqual(GOOD.map((i) => wasteRow(i, 'skip').reference));
    for (const ids of cases.values()) expect(ids).toHaveLength(1);

    // The same name is the same round; another choice for bad rows under that name is refused.
    const reused = await sys.request('POST', '/rounds', {
      token: staff,
      json: { ...body, onInvalid: 'reject' },
    });
    expect(reused.status).toBe(409);
    expect(reused.json.error.code).toBe('ROUND_NAME_REUSED');

    // The same file uploaded and started again: a new attempt, no new case.
    const again = await runRound(sys, staff, file, body);
    expect(again).toMatchObject({ roundId: round.roundId, status: 'STARTED', attempt: round.attempt + 1 });
    expect(again).toMatchObject({ validated: 8, invalid: 4, started: 8 });
    const after = await casesByReference(sys, staff, SERVICE, 'skip-');
    expect(after).toEqual(cases);
  });

  it('refuses a start without an upload, and two starts at once', async () => {
    const created = await createRound(sys, staff, { serviceId: SERVICE, name: 'zonder-bestand' });
    expect(created.httpStatus).toBe(201);
    const early = await sys.request('POST', `/rounds/${created.roundId}/start`, { token: staff });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('UPLOAD_MISSING');

    const file = tempFile('twice.csv');
    await writeWasteCsv(file, 30, (i) => wasteRow(i, 'twice').fields);
    const same = await createRound(sys, staff, { serviceId: SERVICE, name: 'zonder-bestand' });
    expect(same).toMatchObject({ httpStatus: 200, roundId: created.roundId });
    await putFile(same.upload, file);
    const both = await Promise.all(
      [1, 2].map(() => sys.request('POST', `/rounds/${created.roundId}/start`, { token: staff })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const winner = both.find((r) => r.status === 202)?.json;
    const round = await roundEnded(sys, staff, created.roundId, winner.attempt);
    expect(round).toMatchObject({ status: 'STARTED', started: 30 });
    expect((await casesByReference(sys, staff, SERVICE, 'twice-')).size).toBe(30);
  });

  it('rejects a file whose header is wrong, whatever onInvalid says', async () => {
    const file = tempFile('semi.csv');
    writeFileSync(file, 'reference;name;phone\r\nx-1;Jan;0612345678\r\n');
    const semi = await runRound(sys, staff, file, {
      serviceId: SERVICE,
      name: 'puntkomma',
      onInvalid: 'skip',
    });
    expect(semi).toMatchObject({ status: 'REJECTED', started: 0 });
    expect(semi.errors[0]).toMatchObject({ line: 1, column: '(row)' });
    expect(semi.errors[0].reason).toContain('semicolons');

    writeFileSync(
      file,
      `${WASTE_HEADER.join(',')},shoeSize\r\nx-2,Jan,0612345678,,nl,Straat 1,2026-12-01,42\r\n`,
    );
    const extra = await runRound(sys, staff, file, {
      serviceId: SERVICE,
      name: 'extra-kolom',
      onInvalid: 'skip',
    });
    expect(extra).toMatchObject({ status: 'REJECTED', started: 0 });
    expect(shape(extra.errors)).toEqual([{ line: 1, column: 'shoeSize' }]);
    // The refused file (its rows in clear) is deleted: starting again needs a new upload.
    const again = await sys.request('POST', `/rounds/${extra.roundId}/start`, { token: staff });
    expect([again.status, again.json.error.code]).toEqual([409, 'UPLOAD_MISSING']);
    const reupload = await createRound(sys, staff, {
      serviceId: SERVICE,
      name: 'extra-kolom',
      onInvalid: 'skip',
    });
    await putFile(reupload.upload, file);
    const started = await startRound(sys, staff, extra.roundId);
    expect(started.attempt).toBe(extra.attempt + 1);
    expect((await roundEnded(sys, staff, extra.roundId, started.attempt)).status).toBe('REJECTED');
  });
});
