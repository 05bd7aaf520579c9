/**
 * Sample round files for waste-collection, written as a stream (the bench makes 10,000 rows, and
 * nothing here holds more than one line). Used by the e2e tests and `npm run bench:round`.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { csvLine } from '../../functions/domain/csv';

export const WASTE_HEADER = ['reference', 'name', 'phone', 'email', 'locale', 'address', 'collectionDate'];

export interface SampleRow {
  reference: string;
  phone: string;
  email: string;
  fields: string[];
}

/**
 * Row i (0-based): every third household has only an e-mail address, the others a mobile number
 * (06 2xxx xxxx; `phoneOffset` keeps two files' numbers apart).
 */
export function wasteRow(i: number, prefix = 'hh', phoneOffset = 0): SampleRow {
  const n = String(i).padStart(6, '0');
  const phone = i % 3 === 2 ? '' : `06${20_000_000 + phoneOffset + i}`;
  const email = i % 3 === 2 ? `huishouden${n}@example.nl` : '';
  const reference = `${prefix}-${n}`;
  const street = `Containerstraat ${(i % 400) + 1}, Utrecht`;
  return {
    reference,
    phone,
    email,
    fields: [reference, `Huishouden ${n}`, phone, email, i % 5 === 0 ? 'en' : 'nl', street, '2026-12-15'],
  };
}

/**
 * Writes `rows` data lines after the header; `line(i)` may replace a row's fields (to make bad rows).
 * Returns the size in bytes.
 */
export async function writeWasteCsv(
  file: string,
  rows: number,
  line: (i: number) => string[] = (i) => wasteRow(i).fields,
): Promise<number> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(csvLine(WASTE_HEADER));
  for (let i = 0; i < rows; i++) await write(csvLine(line(i)));
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}
