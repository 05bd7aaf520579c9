import { describe, expect, it, vi } from 'vitest';
import { dataCipher, newDataKey, roundOwner } from '../../../functions/domain/case-keys';
import { csvLine } from '../../../functions/domain/csv';
import { PiiVault } from '../../../functions/domain/pii';
import {
  checkHeader,
  RowValidator,
  rowCells,
  validColumns,
  validFields,
} from '../../../functions/rounds/rows';
import { validateRound } from '../../../functions/rounds/validate';
import { FakeRoundFiles, FakeRoundRepository, roundRecord, roundService } from '../../support/round-fakes';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

// Every rule of a round's CSV file, with the exact line, column and reason it reports.

const vault = new PiiVault('round-rows-test-key-0123456789abcdefghijk');

const HEADER = [
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
];
type Row = Partial<Record<(typeof HEADER)[number], string>>;
const good: Row = {
  name: 'Anna de Vries',
  phone: '0612345678',
  address: 'Dorpsstraat 1',
  collectionDate: '2026-03-10',
};
const fields = (row: Row) => HEADER.map((h) => row[h] ?? '');

const PHONE = 'not a Dutch mobile number; use 06 and 8 digits, or +316 and 8 digits';
const CONTROL = 'contains a line break or control character';

/** One row per rule: the row (over a good one) and the errors it must give. */
const cases: { rule: string; row: Row | string[]; errors: [column: string, reason: string][] }[] = [
  {
    rule: 'reference required',
    row: { ...good, reference: '  ' },
    errors: [['reference', 'This field is required.']],
  },
  {
    rule: 'reference at most 100',
    row: { ...good, reference: 'R'.repeat(101) },
    errors: [['reference', 'Use at most 100 characters.']],
  },
  {
    rule: 'reference visible',
    row: { ...good, reference: 'R\u200b1' },
    errors: [['reference', 'use visible characters only']],
  },
  {
    rule: 'name at most 200',
    row: { ...good, name: 'n'.repeat(201) },
    errors: [['name', 'Use at most 200 characters.']],
  },
  { rule: 'phone not a number', row: { ...good, phone: '12345' }, errors: [['phone', PHONE]] },
  { rule: 'phone not Dutch mobile', row: { ...good, phone: '+32470123456' }, errors: [['phone', PHONE]] },
  { rule: 'phone landline', row: { ...good, phone: '0201234567' }, errors: [['phone', PHONE]] },
  {
    rule: 'email',
    row: { ...good, email: 'anna-at-example.nl' },
    errors: [['email', 'not a valid e-mail address']],
  },
  { rule: 'locale', row: { ...good, locale: 'de' }, errors: [['locale', 'use nl or en']] },
  {
    rule: 'phone or e-mail',
    row: { ...good, phone: ' ' },
    errors: [['(row)', 'no way to reach the household: give a phone or an e-mail']],
  },
  {
    rule: 'context required',
    row: { ...good, address: '' },
    errors: [['address', 'This field is required.']],
  },
  {
    rule: 'context text length',
    row: { ...good, address: 'a'.repeat(31) },
    errors: [['address', 'Use at most 30 characters.']],
  },
  {
    rule: 'context date',
    row: { ...good, collectionDate: '2026-02-30' },
    errors: [['collectionDate', 'Enter a real date as YYYY-MM-DD.']],
  },
  { rule: 'context number', row: { ...good, bins: 'two' }, errors: [['bins', 'Enter a number.']] },
  { rule: 'context number max', row: { ...good, bins: '9' }, errors: [['bins', 'Enter at most 4.']] },
  {
    rule: 'context choice',
    row: { ...good, kind: 'paper' },
    errors: [['kind', 'Choose one of: rest, gft.']],
  },
  { rule: 'context yes/no', row: { ...good, gate: 'maybe' }, errors: [['gate', 'Answer yes or no.']] },
  { rule: 'tab inside a field', row: { ...good, name: 'Anna\tde Vries' }, errors: [['name', CONTROL]] },
  {
    rule: 'control character',
    row: { ...good, address: 'Dorp\u0007straat' },
    errors: [['address', CONTROL]],
  },
  {
    rule: 'fields missing',
    row: ['A-2', 'Bob', '0612345678'],
    errors: [['(row)', 'the row has 3 fields; the header has 10']],
  },
  {
    rule: 'fields extra',
    row: [...fields({ ...good, reference: 'A-3' }), 'x'],
    errors: [['(row)', 'the row has 11 fields; the header has 10']],
  },
  {
    rule: 'several columns at once, in column order',
    row: { ...good, reference: 'A-4', email: 'x', phone: '1', gate: '?' },
    errors: [
      ['phone', PHONE],
      ['email', 'not a valid e-mail address'],
      ['gate', 'Answer yes or no.'],
    ],
  },
  { rule: 'good row', row: { ...good, reference: 'A-5' }, errors: [] },
  {
    rule: 'duplicate reference',
    row: { ...good, reference: ' A-5 ' },
    errors: [['reference', 'duplicate of line 24']],
  },
  // Last, because its quoted line break moves every later line.
  {
    rule: 'line break inside a field',
    row: { ...good, reference: 'A-6', name: 'Anna\nde Vries' },
    errors: [['name', CONTROL]],
  },
];

async function validate(csv: string, onInvalid: 'skip' | 'reject' = 'skip') {
  const rounds = new FakeRoundRepository();
  const files = new FakeRoundFiles();
  await rounds.createRound(roundRecord({ onInvalid, status: 'VALIDATING', attempt: 1 }));
  files.put('rounds/r1/upload.csv', csv);
  const result = await validateRound({ rounds, files, vault }, 'r1');
  return { result, rounds, files, round: rounds.rounds.get('r1') };
}

/** A row of valid.csv: its line, and the cells it holds sealed with the round's key. */
function opened(line: string, round: { dataKey?: string } | undefined) {
  const [number, sealed] = line.split(',');
  return { line: number, cells: dataCipher(vault, roundOwner('r1'), round ?? {}).openJson(sealed) };
}

describe('round rows', () => {
  it('reports each rule with its exact line, column and reason, and never the value', async () => {
    // Every row has its own reference unless the rule is about the reference.
    const rows = cases.map((c, i) =>
      Array.isArray(c.row) ? c.row : fields({ reference: `R-${i}`, ...c.row }),
    );
    const csv = [HEADER, ...rows].map(csvLine).join('');
    const { rounds, round, files, result } = await validate(csv);
    const expected = cases.flatMap((c, i) =>
      c.errors.map(([column, reason]) => ({ line: i + 2, column, reason })),
    );
    expect(rounds.allErrors('r1')).toEqual(expected);
    expect(round).toMatchObject({
      status: 'STARTING',
      total: cases.length,
      validated: 1,
      invalid: cases.length - 1,
    });
    expect(result).toEqual({ proceed: true, validated: 1 });
    const [head, only, end] = (files.text('rounds/r1/valid.csv') ?? '').split('\r\n');
    expect([`${head}\r\n`, end]).toEqual([csvLine(validColumns()), '']);
    expect(opened(only ?? '', round)).toEqual({
      line: '24',
      cells: {
        reference: 'A-5',
        name: 'Anna de Vries',
        phone: '+31612345678',
        email: '',
        locale: 'nl',
        address: 'Dorpsstraat 1',
        collectionDate: '2026-03-10',
        bins: '',
        kind: '',
        gate: '',
      },
    });
    const reported = JSON.stringify(rounds.allErrors('r1'));
    for (const value of ['Anna', 'anna-at', '12345', 'paper', 'maybe', '2026-02-30', 'RRRR', 'Dorp'])
      expect(reported).not.toContain(value);
  });

  it('normalises a valid row: trimmed, phone in E.164, locale filled, context typed', () => {
    const header = checkHeader(roundService, HEADER);
    if (!header.ok) throw new Error('header refused');
    const validator = new RowValidator(roundService, header);
    const result = validator.check(
      7,
      fields({
        reference: ' B-1 ',
        phone: '06 1234 5678',
        email: ' b@example.nl ',
        locale: 'EN',
        address: ' Kerkweg 2 ',
        collectionDate: '2026-03-11',
        bins: ' 2 ',
        kind: 'gft',
        gate: 'ja',
      }),
    );
    expect(result).toEqual({
      ok: true,
      row: {
        line: 7,
        reference: 'B-1',
        phone: '+31612345678',
        email: 'b@example.nl',
        locale: 'en',
        context: { address: 'Kerkweg 2', collectionDate: '2026-03-11', bins: 2, kind: 'gft', gate: true },
      },
    });
    if (!result.ok) return;
    expect(rowCells(roundService, result.row)).toEqual({
      reference: 'B-1',
      name: '',
      phone: '+31612345678',
      email: 'b@example.nl',
      locale: 'en',
      address: 'Kerkweg 2',
      collectionDate: '2026-03-11',
      bins: '2',
      kind: 'gft',
      gate: 'true',
    });
    // In valid.csv: the line in clear, the cells sealed with the round's key.
    const key = newDataKey(vault, roundOwner('r1'));
    const [line, sealed] = validFields(roundService, result.row, key.cipher);
    expect(line).toBe('7');
    expect(sealed).not.toContain('B-1');
    expect(key.cipher.openJson(sealed)).toEqual(rowCells(roundService, result.row));
  });

  it('accepts the columns in any order, optional ones left out', () => {
    const header = checkHeader(roundService, ['collectionDate', 'email', 'address', 'reference']);
    if (!header.ok) throw new Error('header refused');
    const result = new RowValidator(roundService, header).check(2, [
      '2026-03-10',
      'a@example.nl',
      'Laan 3',
      'C-1',
    ]);
    expect(result).toMatchObject({
      ok: true,
      row: { reference: 'C-1', email: 'a@example.nl', locale: 'nl' },
    });
  });

  it('reads column names in any case, as a spreadsheet header often has them', () => {
    const header = checkHeader(roundService, ['Reference', 'PHONE', 'Address', 'collectiondate']);
    if (!header.ok) throw new Error('header refused');
    expect([...header.positions.keys()]).toEqual(['reference', 'phone', 'address', 'collectionDate']);
    expect(checkHeader(roundService, ['reference', 'address', 'collectionDate', 'phone', 'Phone'])).toEqual({
      ok: false,
      errors: [{ line: 1, column: 'phone', reason: 'this column appears more than once' }],
    });
  });

  it.each([
    [
      'unknown column',
      ['reference', 'address', 'collectionDate', 'phone', 'iban'],
      [
        [
          'iban',
          'unknown column; the columns are reference, name, phone, email, locale, address, collectionDate, bins, kind, gate',
        ],
      ],
    ],
    [
      'missing required columns',
      ['phone', 'address'],
      [
        ['reference', 'this required column is missing'],
        ['collectionDate', 'this required column is missing'],
      ],
    ],
    [
      'repeated column',
      ['reference', 'address', 'collectionDate', 'phone', 'phone'],
      [['phone', 'this column appears more than once']],
    ],
    [
      'no header row (its cells are data, never shown)',
      ['W-1', 'Anna de Vries', '0612345678', 'Dorpsstraat 1', '2026-03-10'],
      [
        [
          '(row)',
          'the first line must name the columns (reference, name, phone, email, locale, address, collectionDate, bins, kind, gate); it names none',
        ],
      ],
    ],
    [
      'an unknown cell that is not a column name',
      ['reference', 'address', 'collectionDate', 'anna@example.nl'],
      [
        [
          '(column 4)',
          'unknown column; the columns are reference, name, phone, email, locale, address, collectionDate, bins, kind, gate',
        ],
      ],
    ],
    [
      'an unnamed column',
      ['reference', 'address', 'collectionDate', ''],
      [['(column 4)', 'a column has no name (an empty header cell or a trailing comma)']],
    ],
    [
      'semicolons',
      ['reference;address;collectionDate;phone'],
      [['(row)', 'the file is separated by semicolons; save it as CSV UTF-8 (comma delimited)']],
    ],
    [
      'tabs',
      ['reference\taddress\tcollectionDate\tphone'],
      [['(row)', 'the file is separated by tabs; save it as CSV UTF-8 (comma delimited)']],
    ],
  ])('refuses a header with %s', (_rule, header, errors) => {
    expect(checkHeader(roundService, header)).toEqual({
      ok: false,
      errors: errors.map(([column, reason]) => ({ line: 1, column, reason })),
    });
  });
});
