/**
 * SnapshotFile on its own: every line added (text, or bytes copied from another file) reads back
 * at the Location it was given, in order, each followed by its newline: short lines that share a
 * block, lines longer than a block, lines added while an earlier flush is being written, and bytes
 * whose source buffer is reused right after (as the compaction's block reader reuses its blocks).
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
  it('gives every line a Location that reads it back, whatever its size and however it came', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfn-snapshot-file-'));
    dirs.push(dir);
    const file = new SnapshotFile(dir, 3);
    const added: { text: string; location: Location }[] = [];
    const source = Buffer.alloc(1 << 20);
    for (let i = 0; i < 4100; i++) {
      // Mostly short lines, some with characters of several bytes, now and then one longer than a
      // block (256 KiB), and every third one copied from a reused buffer.
      const text =
        i % 997 === 5
          ? `{"long":${i},"pad":"${'x'.repeat(300_000 + i)}"}`
          : `{"line":${i},"name":"état ${'é'.repeat(i % 50)} ✓"}`;
      let location: Location;
      if (i % 3 === 0) {
        const length = source.write(text, 7, 'utf8');
        location = file.addBytes(source.subarray(7, 7 + length));
        source.fill(0x21); // the reader reuses its block: what was copied must not change
      } else location = file.add(text);
      added.push({ text, location });
      if (i % 500 === 499) await file.flush();
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
