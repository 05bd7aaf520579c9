import { describe, expect, it } from 'vitest';
import type { ProcessingEntry } from '../../../functions/domain/processing-log';
import { countedPerDay } from '../../../functions/privacy/case-export';

// The export's processing log: the same use of the data on one day (in Amsterdam) is one entry that
// counts it, so a case read every minute still exports in a few hundred kilobytes a year.

const purpose = { nl: 'afval inzamelen', en: 'collecting waste' };
const entry = (at: string, over: Partial<ProcessingEntry> = {}): ProcessingEntry => ({
  at,
  organisation: 'Gemeente Utrecht',
  purpose,
  categories: ['contact', 'answers'],
  action: 'read',
  ...over,
});

describe('countedPerDay', () => {
  it('counts one use repeated on a day into its first, with the last time', () => {
    const reads = Array.from({ length: 1440 }, (_, i) =>
      entry(new Date(Date.UTC(2026, 2, 2, 0, i)).toISOString()),
    );
    // From 23:00 UTC it is 3 March in Amsterdam (UTC+1): the last 60 reads are that day's.
    const counted = countedPerDay(reads);
    expect(counted).toEqual([
      { ...entry('2026-03-02T00:00:00.000Z'), until: '2026-03-02T22:59:00.000Z', times: 1380 },
      { ...entry('2026-03-02T23:00:00.000Z'), until: '2026-03-02T23:59:00.000Z', times: 60 },
    ]);
    expect(counted.reduce((n, e) => n + (e.times ?? 1), 0)).toBe(reads.length);
  });

  it('keeps apart what differs: organisation, data, action, a helper, the purpose', () => {
    const day = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const entries = [
      entry(day(0)),
      entry(day(1), { organisation: 'Gemeente Zeist' }),
      entry(day(2), { categories: ['contact'] }),
      entry(day(3), { action: 'update' }),
      entry(day(4), { delegate: { name: 'Anna' } }),
      entry(day(5), { purpose: { nl: 'anders', en: 'other' } }),
      entry(day(6)),
      entry(day(7), { delegate: { name: 'Anna' } }),
    ];
    const counted = countedPerDay(entries);
    expect(counted.map((e) => [e.at, e.times, e.until])).toEqual([
      [day(0), 2, day(6)],
      [day(1), undefined, undefined],
      [day(2), undefined, undefined],
      [day(3), undefined, undefined],
      [day(4), 2, day(7)],
      [day(5), undefined, undefined],
    ]);
  });

  it('leaves a single use as it was', () => {
    const once = [entry('2026-03-02T09:00:00.000Z'), entry('2026-03-03T09:00:00.000Z')];
    expect(countedPerDay(once)).toEqual(once);
  });
});
