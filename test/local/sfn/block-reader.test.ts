import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockReader } from '../../../local/sfn/durability/block-reader';
import { tempDirs } from '../../support/temp-dirs';

const dir = tempDirs('coproduce-blocks-')();

/**
 * A journal as a round writes it: an execution's first line when it starts, its other lines when
 * its task is answered, `later` starts afterwards, so every execution's lines lie far apart, with
 * other executions' lines between them.
 */
function interleavedJournal(executions: number, later: number) {
  const events: { key: number; line: number; at: number }[] = [];
  for (let key = 0; key < executions; key++) {
    events.push({ key, line: 0, at: key });
    for (let line = 1; line < 4; line++) events.push({ key, line, at: key + later + line / 10 });
  }
  events.sort((a, b) => a.at - b.at);
  const lines: { key: number; offset: number; text: string }[] = [];
  let offset = 0;
  for (const { key, line } of events) {
    const text = `{"key":${key},"line":${line},"events":"${'x'.repeat(200 + ((key * 7 + line) % 300))}"}`;
    lines.push({ key, offset, text });
    offset += Buffer.byteLength(text) + 1;
  }
  const file = join(dir, `journal-${executions}.jsonl`);
  writeFileSync(file, lines.map((l) => `${l.text}\n`).join(''));
  return { file, lines, bytes: offset };
}

describe('block reader', () => {
  it('serves every line of interleaved executions, in key order, reading each MiB about once', () => {
    const { file, lines, bytes } = interleavedJournal(8_000, 2_000);
    const fd = openSync(file, 'r');
    const reader = new BlockReader();
    const byKey = [...lines].sort((a, b) => a.key - b.key || a.offset - b.offset);
    for (const { offset, text } of byKey) {
      const length = Buffer.byteLength(text);
      expect(reader.read(fd, 7, offset, length, bytes).toString('utf8')).toBe(text);
    }
    closeSync(fd);
    const blocks = Math.ceil(bytes / 2 ** 20);
    expect(blocks).toBeGreaterThan(5);
    // Each block about once, and the lines across a block's end; one window that moved to each
    // line it lacked read a MiB twice per execution here (16,000 reads).
    expect(reader.reads).toBeLessThan(blocks * 3);
  });

  it('never serves bytes past the written limit from a block: such a line is read by itself', () => {
    const file = join(dir, 'growing.jsonl');
    writeFileSync(file, 'first line\nsecond line\n');
    const fd = openSync(file, 'r');
    const reader = new BlockReader();
    // Only the first line was completely written when the block was read.
    expect(reader.read(fd, 1, 0, 10, 11).toString()).toBe('first line');
    expect(reader.read(fd, 1, 11, 11, 23).toString()).toBe('second line');
    expect(() => reader.read(fd, 1, 20, 10, 40)).toThrow(/short read/);
    closeSync(fd);
  });
});
