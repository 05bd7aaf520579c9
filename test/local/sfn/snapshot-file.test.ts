/**
 * SnapshotFile on its own (a legacy journal's migration writes with it): every line added reads
 * back at the Location it was given, in order, each followed by its newline: short lines that share
 * a block, lines longer than a block, and lines added after earlier ones were flushed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileName, type Location } from '../../../local/sfn/durability/journal-files';
import { SnapshotFile } from '../../../local/sfn/durability/snapshot-file';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The text at a Location of a finished snapshot, and the byte after it. */
function at(dir: string, [fileId, offset, length]: Location): { text: string; next: string } {
  const bytes = readFileSync(fileName(dir, fileId));
  return {
    text: bytes.subarray(offset, offset + length).toString('utf8'),
    next: bytes.subarray(offset + length, offset + length + 1).toString('utf8'),
  };
}

describe('SnapshotFile', () => {
  it('gives every line a Location that reads it back, whatever its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-snapshot-file-'));
    dirs.push(dir);
    const file = new SnapshotFile(dir, 3);
    const added: { text: string; location: Location }[] = [];
    for (let i = 0; i < 4100; i++) {
      // Mostly short lines, some with characters of several bytes, now and then one longer than a
      // block (256 KiB).
      const text =
        i % 997 === 5
          ? `{"long":${i},"pad":"${'x'.repeat(300_000 + i)}"}`
          : `{"line":${i},"name":"état ${'é'.repeat(i % 50)} ✓"}`;
      added.push({ text, location: file.add(text) });
      if (i % 500 === 499) file.flushSync();
    }
    expect(file.buffered).toBeGreaterThan(0);
    file.commitSync();

    let offset = 0;
    for (const { text, location } of added) {
      expect(location[1]).toBe(offset); // in order, nothing between them
      expect(at(dir, location)).toEqual({ text, next: '\n' });
      offset += location[2] + 1;
    }
    expect(readFileSync(fileName(dir, file.fileId)).length).toBe(offset);
    expect(file.bytes).toBe(offset);
  });
});
