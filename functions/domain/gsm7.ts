// SMS length rules (3GPP TS 23.038 and 23.040). A text that fits the GSM-7 alphabet costs one septet per
// character (two for the extension table); anything else forces UCS-2 for the whole message, which more
// than halves the room. Operators bill per segment, so texts are designed to stay in one GSM-7 segment.

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Reached through the escape character, so each costs two septets. */
const EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsInfo {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  length: number;
  segments: number;
}

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

/** Septets the text takes in GSM-7; throws for a text that cannot be sent in GSM-7. */
export function gsm7Septets(text: string): number {
  return gsm7Units(text).reduce((sum, n) => sum + n, 0);
}

export function smsSegments(text: string): number {
  return smsInfo(text).segments;
}

/** Encoding, length and segment count as a phone would send it. An empty text still takes one segment. */
export function smsInfo(text: string): SmsInfo {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  // A character never straddles two parts: an escape pair or a surrogate pair moves whole to the next one.
  const units = encoding === 'GSM-7' ? gsm7Units(text) : [...text].map((ch) => ch.length);
  const length = units.reduce((sum, n) => sum + n, 0);
  const { single, part } = LIMITS[encoding];
  if (length <= single) return { encoding, length, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const n of units) {
    if (used + n > part) {
      segments += 1;
      used = 0;
    }
    used += n;
  }
  return { encoding, length, segments };
}

const PUNCTUATION: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00A0': ' ',
};

/**
 * Makes a value (an organisation name, a step title) fit GSM-7 before it goes into an SMS: letters with
 * a diacritic GSM-7 lacks lose it ('Súdwest-Fryslân' -> 'Sudwest-Fryslan', 'geëvalueerd' -> 'geevalueerd'),
 * typographic quotes and dashes become plain ones, anything else becomes '?'.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (basic.has(ch) || extension.has(ch)) out += ch;
    else if (PUNCTUATION[ch] !== undefined) out += PUNCTUATION[ch];
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare !== ch && isGsm7(bare) ? bare : '?';
    }
  }
  return out;
}

function gsm7Units(text: string): number[] {
  return [...text].map((ch) => {
    if (basic.has(ch)) return 1;
    if (extension.has(ch)) return 2;
    throw new Error(
      `not a GSM-7 character: '${ch}' (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()})`,
    );
  });
}
