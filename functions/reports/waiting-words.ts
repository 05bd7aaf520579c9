import type { Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import type { Waited } from './waiting';

// Who waited on whom, in the words each partner uses: the citizen reads "U wachtte 2 dagen op Gemeente
// Utrecht; Gemeente Utrecht wachtte 1 dag op u", the caseworker the same with "de inwoner". Durations
// are rounded to what a person says (days and hours, hours and minutes), never seconds.

export type Reader = 'citizen' | 'provider';

const UNITS = {
  nl: {
    day: ['dag', 'dagen'],
    hour: ['uur', 'uur'],
    minute: ['minuut', 'minuten'],
    and: 'en',
    less: 'minder dan een minuut',
  },
  en: {
    day: ['day', 'days'],
    hour: ['hour', 'hours'],
    minute: ['minute', 'minutes'],
    and: 'and',
    less: 'less than a minute',
  },
} as const;

/** A duration as people say it: "2 dagen", "1 dag en 4 uur", "3 uur en 10 minuten", "5 minuten". */
export function spokenDuration(seconds: number, locale: Locale): string {
  const u = UNITS[locale];
  const count = (n: number, unit: readonly [string, string]) => `${n} ${n === 1 ? unit[0] : unit[1]}`;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  // Past a week the hours no longer matter; past a few hours the minutes do not.
  if (days > 0)
    return days < 7 && hours > 0
      ? `${count(days, u.day)} ${u.and} ${count(hours, u.hour)}`
      : count(days, u.day);
  if (hours > 0)
    return hours < 5 && minutes > 0
      ? `${count(hours, u.hour)} ${u.and} ${count(minutes, u.minute)}`
      : count(hours, u.hour);
  return minutes > 0 || seconds === 0 ? count(minutes, u.minute) : u.less;
}

const SENTENCES = {
  nl: {
    citizen: { self: 'U', other: 'u' },
    provider: { self: 'De inwoner', other: 'de inwoner' },
    waited: (who: string, span: string, on: string) => `${who} wachtte ${span} op ${on}`,
    notWaited: (who: string, on: string) => `${who} hoefde niet op ${on} te wachten`,
    shared: (span: string) => `Samen tegelijk bezig: ${span}.`,
  },
  en: {
    citizen: { self: 'You', other: 'you' },
    provider: { self: 'The resident', other: 'the resident' },
    waited: (who: string, span: string, on: string) => `${who} waited ${span} for ${on}`,
    notWaited: (who: string, on: string) => `${who} did not have to wait for ${on}`,
    shared: (span: string) => `Both busy at the same time: ${span}.`,
  },
} as const;

/** The sentence about waiting for one reader, e.g. "U wachtte 2 dagen op Gemeente Utrecht; ...". */
export function waitingSentence(waited: Waited, org: string, reader: Reader, locale: Locale): string {
  const s = SENTENCES[locale];
  const citizen = s[reader];
  const name = orgDisplayName(org);
  const part = (who: string, seconds: number, on: string) =>
    seconds > 0 ? s.waited(who, spokenDuration(seconds, locale), on) : s.notWaited(who, on);
  return `${part(citizen.self, waited.citizenOnProvider, name)}; ${part(name, waited.providerOnCitizen, citizen.other)}.`;
}

/** Both sentences for a page: who waited on whom, then how long both were busy at once. */
export function waitingParagraphs(waited: Waited, org: string, reader: Reader, locale: Locale): string[] {
  const lines = [waitingSentence(waited, org, reader, locale)];
  if (waited.shared > 0) lines.push(SENTENCES[locale].shared(spokenDuration(waited.shared, locale)));
  return lines;
}
