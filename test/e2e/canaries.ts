/**
 * Canary values and the scan for them: unique strings planted in every personal field, then looked for
 * in every file the local runtime wrote and in what it printed. The table files are read twice: as raw
 * bytes (LevelDB's write-ahead log is plain) and through LevelDB itself, because its sorted tables are
 * Snappy-compressed and a value in them need not appear byte for byte.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ClassicLevel } from 'classic-level';

export interface Canary {
  /** Where it was planted, e.g. 'care-plan name' or 'round row 2 address'. */
  where: string;
  /** The value as sent. */
  value: string;
  /** What is searched for: the value itself, or the part of it that survives normalising (phones). */
  needle: string;
}

export interface Finding {
  where: string;
  /** A file under DATA_DIR, 'dynamodb (LevelDB)' for the table's values, or 'runtime output'. */
  found: string;
}

/** Letters and digits only: JSON escaping and URL encoding leave them as they are. */
const token = () =>
  randomBytes(9)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x');

export class Canaries {
  readonly planted: Canary[] = [];

  /** A unique text, e.g. 'Cnry' + 12 random letters and digits. */
  text(where: string, prefix = 'Cnry'): string {
    const value = `${prefix}${token()}`;
    this.planted.push({ where, value, needle: value });
    return value;
  }

  /** A Dutch mobile number in national form; searched for by its 9 digits after the 0 (+31 or 06). */
  phone(where: string): string {
    const digits = `6${String(randomInt(10_000_000, 100_000_000))}`;
    this.planted.push({ where, value: `0${digits}`, needle: digits });
    return `0${digits}`;
  }

  email(where: string): string {
    const local = `cnry${token()}`.toLowerCase();
    this.planted.push({ where, value: `${local}@example.org`, needle: local });
    return `${local}@example.org`;
  }
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Where each needle occurs: every file under `dataDir` as bytes, the LevelDB values, the output. */
export async function scan(
  dataDir: string,
  output: string,
  needles: readonly { where: string; needle: string }[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const look = (haystack: Buffer, found: string) => {
    for (const n of needles) if (haystack.includes(n.needle)) findings.push({ where: n.where, found });
  };
  for (const file of files(dataDir)) look(readFileSync(file), relative(dataDir, file));
  const tables = join(dataDir, 'dynamodb');
  if (existsSync(tables)) {
    const db = new ClassicLevel<Buffer, Buffer>(tables, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    try {
      for await (const [key, value] of db.iterator())
        look(Buffer.concat([key, Buffer.from(' '), value]), 'dynamodb (LevelDB)');
    } finally {
      await db.close();
    }
  }
  look(Buffer.from(output, 'utf8'), 'runtime output');
  return findings;
}
