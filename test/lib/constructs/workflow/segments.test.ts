import { describe, expect, it } from 'vitest';
import { waitSegments } from '../../../../lib/constructs/workflow/segments';

const DAY = 86_400;

describe('waitSegments', () => {
  it('splits at each reminder, then escalates from due to expiry', () => {
    expect(waitSegments({ reminders: ['P2D', 'P4D'], due: 'P7D', expiry: 'P14D' })).toEqual([
      { notice: 'invite', seconds: 2 * DAY },
      { notice: 'reminder', reminder: 1, seconds: 2 * DAY },
      { notice: 'reminder', reminder: 2, seconds: 3 * DAY },
      { notice: 'escalation', seconds: 7 * DAY },
    ]);
  });

  it('without reminders: invite until due, then escalation until expiry', () => {
    expect(waitSegments({ reminders: [], due: 'PT12H', expiry: 'P1D' })).toEqual([
      { notice: 'invite', seconds: 12 * 3600 },
      { notice: 'escalation', seconds: 12 * 3600 },
    ]);
  });

  it('the segments add up to the expiry', () => {
    const segments = waitSegments({ reminders: ['PT30M', 'P1DT2H'], due: 'P1W', expiry: 'P2W3D' });
    expect(segments.reduce((sum, s) => sum + s.seconds, 0)).toBe(17 * DAY);
  });

  it('refuses a zero-length wait (a reminder on the due date)', () => {
    expect(() => waitSegments({ reminders: ['P7D'], due: 'P7D', expiry: 'P8D' })).toThrow(
      /longer than 0 seconds/,
    );
  });
});
