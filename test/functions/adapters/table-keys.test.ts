import { describe, expect, it } from 'vitest';
import { continuationName, continuedEventId, FORMAT_ARG, keys } from '../../../functions/adapters/table-keys';

// The state machines key their writes with States.Format strings made by calling the key functions
// with FORMAT_ARG. Filled in the way States.Format fills them, they must give the keys the
// repository uses, and their literal text must need no escaping in an intrinsic.

/** States.Format: each {} in turn takes the next argument. */
const fill = (format: string, ...args: string[]) =>
  args.reduce((text, arg) => text.replace('{}', arg), format);
const literal = (format: string) => format.replaceAll('{}', '');

describe('key formats for the state machines', () => {
  const cases: [string, string, string[], string][] = [
    ['case pk', keys.case(FORMAT_ARG).pk, ['c-1'], keys.case('c-1').pk],
    ['case sk', keys.case(FORMAT_ARG).sk, [], keys.case('c-1').sk],
    [
      'event sk',
      keys.event(FORMAT_ARG, FORMAT_ARG, continuedEventId(FORMAT_ARG)).sk,
      ['2026-01-01T00:00:00Z', '2'],
      keys.event('c-1', '2026-01-01T00:00:00Z', continuedEventId(2)).sk,
    ],
    ['round pk', keys.round(FORMAT_ARG).pk, ['r-1'], keys.round('r-1').pk],
    [
      'byService sort key',
      keys.serviceIndex(FORMAT_ARG, FORMAT_ARG, 'COMPLETED', FORMAT_ARG, FORMAT_ARG).gsi2sk,
      ['2026-01-01T00:00:00Z', 'c-1'],
      keys.serviceIndex('o', 's', 'COMPLETED', '2026-01-01T00:00:00Z', 'c-1').gsi2sk,
    ],
    ['continuation name', continuationName(FORMAT_ARG, FORMAT_ARG), ['c-1', '3'], continuationName('c-1', 3)],
  ];

  it.each(cases)('%s filled in is the key the repository writes', (_, format, args, key) => {
    expect(format.split('{}').length - 1).toBe(args.length);
    expect(fill(format, ...args)).toBe(key);
    expect(literal(format)).not.toMatch(/[{}'\\]/);
  });

  it('reads CASE#{} for the case, as the state machines have always written it', () => {
    expect(keys.case(FORMAT_ARG)).toEqual({ pk: 'CASE#{}', sk: 'CASE' });
  });
});
