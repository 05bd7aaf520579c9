import { describe, expect, it } from 'vitest';
import { isGsm7, smsInfo } from '../../../functions/domain/gsm7';
import { MAX_VALUES } from '../../../functions/domain/messages';
import { gsmSafe } from '../../../functions/domain/sms-texts';
import { PROPOSAL_TEXTS } from '../../../functions/proposals/proposal-sms';
import { readYesNo, SMS_ANSWER_TEXTS } from '../../../functions/sms/proposal-answer';
import { services } from '../../../workflows/catalog';

// Every text about a proposal, with the longest realistic values and every step that takes proposals,
// is GSM-7 and one segment, in Dutch and English.

const steps = services.flatMap((s) => s.stages.flatMap((st) => st.steps)).filter((s) => s.proposals);
const locales = ['nl', 'en'] as const;
const oneSegment = (text: string) => {
  const info = smsInfo(text);
  expect(isGsm7(text), text).toBe(true);
  expect(info.segments, `${info.length}: ${text}`).toBe(1);
};

describe('proposal texts', () => {
  it('covers steps of every service', () => {
    expect(new Set(steps.map((s) => s.id)).size).toBeGreaterThan(10);
  });

  it.each(locales)('asks JA/NEE with the code, or points to the link, in one segment (%s)', (locale) => {
    for (const step of steps) {
      const title = gsmSafe(step.title[locale]);
      oneSegment(PROPOSAL_TEXTS[locale].byCode(MAX_VALUES.org, title, '2026-12-31', MAX_VALUES.code));
      oneSegment(PROPOSAL_TEXTS[locale].byLink(MAX_VALUES.org, title, '2026-12-31', MAX_VALUES.link));
    }
    expect(
      PROPOSAL_TEXTS.nl.byLink('Gemeente Utrecht', 'Afval ophalen', '2026-12-05', 'https://x.nl/c/t'),
    ).toBe('Gemeente Utrecht stelt 05-12-2026 voor (Afval ophalen). Reageer: https://x.nl/c/t');
    expect(PROPOSAL_TEXTS.nl.byCode('Gemeente Utrecht', 'Afval ophalen', '2026-12-05', 'A3')).toBe(
      'Gemeente Utrecht stelt voor: Afval ophalen uiterlijk 05-12-2026. Akkoord? Stuur A3 JA of A3 NEE.',
    );
  });

  it.each(locales)('answers the reply in one segment (%s)', (locale) => {
    const t = SMS_ANSWER_TEXTS[locale];
    for (const text of [t.accepted('2026-12-31'), t.declined, t.gone]) oneSegment(text);
  });

  it('reads JA/NEE and YES/NO with a note, and nothing else', () => {
    expect(readYesNo('JA')).toEqual({ accept: true });
    expect(readYesNo('nee, liever vrijdag')).toEqual({ accept: false, note: 'liever vrijdag' });
    expect(readYesNo('Yes!')).toEqual({ accept: true });
    expect(readYesNo('no')).toEqual({ accept: false });
    expect(readYesNo('misschien')).toBeUndefined();
    expect(readYesNo('')).toBeUndefined();
  });
});
