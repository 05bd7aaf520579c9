import { describe, expect, it } from 'vitest';
import type { ProcessingEntry } from '../../../functions/domain/processing-log';
import { processingSection, processingSentences } from '../../../functions/pages/processing';

// The processing log in plain words for the citizen, per organisation and purpose, without staff.

const purpose = { nl: 'de inzameling van uw afval', en: 'collecting your waste' };
const entry = (over: Partial<ProcessingEntry> = {}): ProcessingEntry => ({
  at: '2026-12-03T10:15:00.000Z',
  organisation: 'Gemeente Utrecht',
  purpose,
  categories: ['answers'],
  action: 'read',
  ...over,
});

describe('the processing log in words', () => {
  it('says who did what with which data and when, in Dutch and English', () => {
    expect(processingSentences([entry()], 'nl')).toEqual([
      'Gemeente Utrecht heeft uw antwoorden bekeken op 3 december 2026.',
    ]);
    expect(processingSentences([entry()], 'en')).toEqual([
      'Gemeente Utrecht viewed your answers on 3 December 2026.',
    ]);
    expect(
      processingSentences(
        [entry({ action: 'create', categories: ['contact', 'reference', 'context'] })],
        'nl',
      ),
    ).toEqual([
      'Gemeente Utrecht heeft uw contactgegevens, het kenmerk van uw zaak en de gegevens voor deze dienst vastgelegd op 3 december 2026.',
    ]);
    expect(processingSentences([entry({ action: 'erase', categories: [] })], 'en')).toEqual([
      'Gemeente Utrecht erased your data on 3 December 2026.',
    ]);
  });

  it('counts the same use on the same day once, with how often', () => {
    const twice = [
      entry(),
      entry({ at: '2026-12-03T16:00:00.000Z' }),
      entry({ at: '2026-12-04T08:00:00.000Z' }),
    ];
    expect(processingSentences(twice, 'nl')).toEqual([
      'Gemeente Utrecht heeft uw antwoorden bekeken op 3 december 2026 (2 keer).',
      'Gemeente Utrecht heeft uw antwoorden bekeken op 4 december 2026.',
    ]);
  });

  it('groups per organisation and purpose, escapes what it shows, and says when nobody used anything', () => {
    const html = processingSection(
      [
        entry(),
        entry({ organisation: 'Afvalbedrijf <Noord>', purpose: { nl: 'ophalen', en: 'collecting' } }),
      ],
      'nl',
    );
    expect(html.match(/<h3 /g)).toHaveLength(2);
    expect(html).toContain('Waarvoor: de inzameling van uw afval');
    expect(html).toContain('Afvalbedrijf &lt;Noord&gt;');
    expect(html).not.toContain('staff');
    expect(processingSection([], 'en')).toContain('Nobody has viewed or changed your data yet.');
  });
});
