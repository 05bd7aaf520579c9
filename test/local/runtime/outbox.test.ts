import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../local/runtime/outbox';
import { tempDirs } from '../../support/temp-dirs';

const tempDir = tempDirs('coproduce-outbox-');
const newFile = () => join(tempDir(), 'outbox.jsonl');
const number = (i: number) => `+316${String(10_000_000 + (i % 7)).slice(-8)}`;

describe('outbox', () => {
  it('keeps only the latest messages in memory, and finds every one to a number in the file', () => {
    const file = newFile();
    const outbox = new Outbox(file, () => Date.UTC(2026, 0, 1), undefined, 5);
    for (let i = 0; i < 23; i++)
      outbox.add({ provider: i % 2 ? 'twilio' : 'aws', to: number(i), body: `m${i}` });
    expect(outbox.count).toBe(23);
    expect(outbox.list().map((m) => m.body)).toEqual(['m18', 'm19', 'm20', 'm21', 'm22']);
    expect(outbox.all().map((m) => m.body)).toEqual(Array.from({ length: 23 }, (_, i) => `m${i}`));
    // Every 7th message went to number(0): m0, m7, m14, m21, of which only m21 is still in memory.
    expect(outbox.to(number(0)).map((m) => m.body)).toEqual(['m0', 'm7', 'm14', 'm21']);
    // The last one through AWS to number(3) is m10 (m3 and m17 went through Twilio), out of memory.
    const m10 = outbox.to(number(3)).find((m) => m.body === 'm10');
    expect(m10?.provider).toBe('aws');
    expect(outbox.lastAwsMessageTo(number(3))).toBe(m10?.messageId);
    // The file holds no number in clear.
    expect(readFileSync(file, 'utf8')).not.toContain('+316');
  });

  it('answers what was added since a count, as far as memory holds it', () => {
    const outbox = new Outbox(newFile(), () => 0, undefined, 4);
    for (let i = 0; i < 9; i++) outbox.add({ provider: 'aws', to: number(i), body: `a${i}` });
    const before = outbox.count;
    outbox.add({ provider: 'aws', to: number(1), body: 'reply' });
    expect(outbox.since(before).map((m) => m.body)).toEqual(['reply']);
    expect(outbox.since(outbox.count)).toEqual([]);
    // Older than memory: what it still has, never an error.
    expect(outbox.since(0).length).toBeLessThanOrEqual(8);
    expect(outbox.since(0).at(-1)?.body).toBe('reply');
  });

  it('reopens its file with the same count, latest messages and last AWS message per number', () => {
    const file = newFile();
    const first = new Outbox(file, () => 0, undefined, 3);
    for (let i = 0; i < 10; i++) first.add({ provider: 'aws', to: number(i), body: `r${i}` });
    const again = new Outbox(file, () => 0, undefined, 3);
    expect(again.count).toBe(10);
    expect(again.list()).toEqual(first.list());
    expect(again.lastAwsMessageTo(number(2))).toBe(first.lastAwsMessageTo(number(2)));
  });
});
