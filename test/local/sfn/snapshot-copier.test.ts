/**
 * The snapshot thread on its own: a plan of lines copied from older files and lines given as text
 * comes out as one file in which every line reads back at the Location the plan gave it, each
 * followed by its newline; a plan that names a missing file fails without leaving its file behind,
 * and the thread takes the next job; a job keeps its process alive, an idle thread does not.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Location } from '../../../local/sfn/durability/journal-files';
import { SnapshotCopier } from '../../../local/sfn/durability/snapshot-copier';
import type { SnapshotPlan } from '../../../local/sfn/durability/snapshot-plan';
import { tempDirs } from '../../support/temp-dirs';

const newDir = tempDirs('sfn-snapshot-copier-');
const copier = new SnapshotCopier();
afterAll(() => copier.close());

/** A file of lines; returns each line's Location (fileId, offset, length without the newline). */
function sourceFile(path: string, fileId: number, texts: string[]): Location[] {
  let offset = 0;
  const locations = texts.map((text): Location => {
    const length = Buffer.byteLength(text);
    const location: Location = [fileId, offset, length];
    offset += length + 1;
    return location;
  });
  writeFileSync(path, texts.map((text) => `${text}\n`).join(''));
  return locations;
}

/** A plan as snapshot-plan.ts makes one, and the lines it should write in order. */
function planOf(lines: ({ text: string } | { copy: Location; text: string })[], files: Map<number, string>) {
  const plan: SnapshotPlan = { lines: [], texts: [], files, bytes: 0, moved: new Map() };
  const expected: { text: string; offset: number }[] = [];
  for (const line of lines) {
    expected.push({ text: line.text, offset: plan.bytes });
    if ('copy' in line) plan.lines.push(...line.copy);
    else {
      plan.lines.push(-1, 0, 0);
      plan.texts.push(line.text);
    }
    plan.bytes += Buffer.byteLength(line.text) + 1;
  }
  return { plan, expected };
}

describe('snapshot copier', () => {
  it('writes copied lines and texts in plan order, each where the plan placed it', async () => {
    const dir = newDir();
    const journalTexts = Array.from({ length: 3000 }, (_, i) =>
      i % 700 === 3
        ? `{"history":${i},"pad":"${'x'.repeat(1_100_000)}"}` // longer than the thread's 1 MiB block
        : `{"history":${i},"name":"état ${'é'.repeat(i % 40)} ✓"}`,
    );
    const snapshotTexts = Array.from({ length: 500 }, (_, i) => `{"execution":{"key":${i}}}`);
    const journal = sourceFile(join(dir, 'journal.4.log'), 8, journalTexts);
    const older = sourceFile(join(dir, 'snapshot.3.jsonl'), 7, snapshotTexts);
    const files = new Map([
      [8, join(dir, 'journal.4.log')],
      [7, join(dir, 'snapshot.3.jsonl')],
    ]);
    // Interleaved as a compaction takes them: from both files, out of their order, texts between.
    const lines: ({ text: string } | { copy: Location; text: string })[] = [{ text: '{"clock":0}' }];
    for (let i = 0; i < 3000; i++) {
      const j = (i * 7) % 3000;
      lines.push({ copy: journal[j] as Location, text: journalTexts[j] as string });
      if (i % 6 === 0)
        lines.push({ copy: older[i % 500] as Location, text: snapshotTexts[i % 500] as string });
      if (i % 11 === 0) lines.push({ text: `{"execution":{"key":${i}},"threads":["ü${i}"]}` });
    }
    const { plan, expected } = planOf(lines, files);
    const path = join(dir, 'snapshot.5.jsonl.tmp');

    expect(await copier.write(path, plan)).toBe(plan.bytes);

    const written = readFileSync(path);
    expect(written.length).toBe(plan.bytes);
    for (const { text, offset } of expected) {
      const length = Buffer.byteLength(text);
      expect(written.subarray(offset, offset + length).toString('utf8')).toBe(text);
      expect(written[offset + length]).toBe(0x0a);
    }
  });

  it('fails a plan that names a missing file, removes its file, and takes the next job', async () => {
    const dir = newDir();
    const path = join(dir, 'snapshot.2.jsonl.tmp');
    const { plan } = planOf(
      [{ text: '{"clock":0}' }, { copy: [4, 0, 10], text: 'x'.repeat(10) }],
      new Map([[4, join(dir, 'gone.log')]]),
    );
    await expect(copier.write(path, plan)).rejects.toThrow(/snapshot thread: .*ENOENT/s);
    expect(existsSync(path)).toBe(false);

    const next = planOf([{ text: '{"clock":1}' }], new Map());
    expect(await copier.write(path, next.plan)).toBe(next.plan.bytes);
    expect(readFileSync(path, 'utf8')).toBe('{"clock":1}\n');
  });

  it('fails a line the file does not hold in full (a short read)', async () => {
    const dir = newDir();
    const source = join(dir, 'journal.1.log');
    writeFileSync(source, 'short\n');
    const { plan } = planOf([{ copy: [2, 0, 40], text: 'x'.repeat(40) }], new Map([[2, source]]));
    await expect(copier.write(join(dir, 'snapshot.2.jsonl.tmp'), plan)).rejects.toThrow(/short read/);
  });

  it('keeps a process alive until its job is written, and lets it exit once idle', async () => {
    const dir = newDir();
    const child = join(__dirname, 'fixtures', 'copier-child.ts');
    // A thread that held the process would run into the timeout; one that did not hold it for the
    // job would exit before printing the bytes.
    const printed = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', child, dir], { timeout: 20_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    const written = readFileSync(join(dir, 'snapshot.2.jsonl.tmp'));
    expect(printed).toBe(`${written.length}\n`);
    expect(written.toString('utf8')).toBe(readFileSync(join(dir, 'journal.1.log'), 'utf8'));
  });
});
