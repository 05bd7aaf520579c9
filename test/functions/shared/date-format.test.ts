import { describe, expect, it } from 'vitest';
import { formatDue } from '../../../functions/domain/messages';
import { dateFormat } from '../../../functions/shared/date-format';

describe('dateFormat', () => {
  it('makes one formatter per locale and options, and keeps it', () => {
    const options = { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long' } as const;
    const first = dateFormat('nl-NL', options);
    expect(dateFormat('nl-NL', { ...options })).toBe(first);
    expect(dateFormat('en-GB', options)).not.toBe(first);
    expect(dateFormat('nl-NL', { ...options, year: 'numeric' })).not.toBe(first);
  });

  it('formats as a formatter made anew would', () => {
    const options = { timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short' } as const;
    const at = new Date('2026-03-29T00:30:00Z'); // the night the clocks go forward
    expect(dateFormat('nl-NL', options).format(at)).toBe(
      new Intl.DateTimeFormat('nl-NL', options).format(at),
    );
    expect(dateFormat('nl-NL', options).format(at)).toBe('29 maart 2026 om 01:30');
  });

  it('keeps the due date of a message in Dutch time, also for a second message', () => {
    expect(formatDue('2026-12-31T23:30:00Z')).toBe('01-01-2027');
    expect(formatDue('2026-06-30T21:59:00Z')).toBe('30-06-2026');
  });
});
