import * as z from 'zod/mini';
import { normalizePhone } from './pii';

// One input policy for every edge: the API, the console, the citizen form, SMS and round files all
// build their schemas from these refinements, so a value refused at one door is refused at every
// door, with the same words. Text shows up in the console, in lists, in logs and in SMS: control
// characters could break a line or a terminal, and the invisible bidirectional formatting characters
// (U+202E right-to-left override and friends) make a name read differently from what it is.
// A reason never repeats the value it refuses: it may be personal data (round reports are stored).

export const RULES = {
  control: 'contains a line break or control character',
  invisible: 'use visible characters only',
  required: 'This field is required.',
  tooLong: (max: number) => `Use at most ${max} characters.`,
  phone: 'not a Dutch mobile number; use 06 and 8 digits, or +316 and 8 digits',
  email: 'not a valid e-mail address',
  unreachable:
    'no way to reach the citizen: give a phone or an e-mail, or say that the link is handed over in person',
  repeatedHeader: 'send this header once (a repeated header arrives joined with commas)',
  repeatedField: 'send this field once',
} as const;

// Control characters (C0, DEL, C1: Unicode category Cc) and the Unicode line and paragraph separators.
// Cc spelled out as ranges rather than \p{Cc}: Unicode's stability policy closes that category, and a
// property class makes V8 load its Unicode tables when the module loads, about 2 M instructions of every
// cold start that imports this module (bench:coldstart:instructions). A test holds them to \p{Cc}.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Multi-line text may hold line breaks (and tabs); every other control character stays out.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;
// Format characters (Unicode Cf: the bidirectional overrides and isolates, zero-width spaces, the BOM,
// soft hyphens...), except the zero-width (non-)joiners that emoji sequences and several scripts need.
// Cf grows with new Unicode versions, so it stays a property class, built the first time text is
// checked: a request that checks none (a page view) does not load the tables. A lone surrogate (half
// of a character, '\ud800' in JSON) counts as invisible too: stored, it would turn into U+FFFD.
let invisible: RegExp | undefined;
const hasInvisible = (s: string) => {
  invisible ??= /(?![\u200C\u200D])\p{Cf}|[\uD800-\uDFFF]/u;
  return invisible.test(s);
};

const visible = z.refine<string>((s) => !hasInvisible(s), { error: RULES.invisible });

/**
 * One line of text: no control characters and no invisible formatting (checked on the raw value),
 * then trimmed and held to `max` characters (and `min`, 1 for a required value; `required` says what
 * to do when it is blank).
 */
export function singleLine(max: number, min = 0, required: string = RULES.required) {
  const line = z.string().check(
    z.refine((s) => !CONTROL.test(s), { error: RULES.control }),
    visible,
    z.trim(),
    z.minLength(min, { error: required }),
    z.maxLength(max, { error: RULES.tooLong(max) }),
  );
  return described(line, 'One line: no control characters, no invisible formatting (U+202E...); trimmed.');
}

/** Text with line breaks (a textarea, a long note): CR LF and CR become LF; otherwise as singleLine. */
export function multiLine(max: number, min = 0, required: string = RULES.required) {
  const text = z.string().check(
    z.refine((s) => !CONTROL_BUT_LINES.test(s), { error: RULES.control }),
    visible,
    z.overwrite((s) => s.replace(/\r\n?/g, '\n')),
    z.trim(),
    z.minLength(min, { error: required }),
    z.maxLength(max, { error: RULES.tooLong(max) }),
  );
  return described(
    text,
    'Text with line breaks (CR LF becomes LF); no other control or invisible characters.',
  );
}

const DUTCH_MOBILE = /^\+316\d{8}$/;

/** A Dutch mobile number in any usual notation (06-1234 5678, +31 6 ...), as E.164 (+316XXXXXXXX). */
export const dutchMobile = z.pipe(
  described(
    singleLine(40, 1),
    'A Dutch mobile number: 06 and 8 digits, or +316 and 8 digits (spaces, dashes allowed).',
  ),
  z.transform((s: string, ctx) => {
    const e164 = normalizePhone(s);
    if (e164 && DUTCH_MOBILE.test(e164)) return e164;
    ctx.issues.push({ code: 'custom', message: RULES.phone, input: '' });
    return z.NEVER;
  }),
);

/** An e-mail address, at most 254 characters (RFC 5321's path limit). */
export const email = z.email({ error: RULES.email }).check(z.maxLength(254, { error: RULES.email }));

/**
 * How the citizen gets the link to their case. Absent: by SMS to `citizen.phone` (or at
 * `citizen.email`), so one of those is required. `in-person`: the caseworker hands the link over in
 * person (printed, or shown at the desk), and the case may then have neither.
 */
export const HANDOVERS = ['in-person'] as const;
export const handover = described(
  z.enum(HANDOVERS),
  '`in-person`: the caseworker hands the citizen link over in person; without it the citizen needs a phone or an e-mail.',
);

/** A case's citizen can be reached: a phone or an e-mail, unless the link is handed over in person. */
export function isReachable(contact: { phone?: string; email?: string }, via?: string): boolean {
  return via === 'in-person' || Boolean(contact.phone) || Boolean(contact.email);
}

/**
 * A header that must come once, of this pattern (which has no comma). API Gateway HTTP APIs (payload
 * 2.0) join a repeated header with commas into one value, and the local gateway does the same: a
 * comma means it came more than once.
 */
export function singleHeader(pattern: RegExp, message: string) {
  return z.string().check(
    z.refine((s) => !s.includes(','), { error: RULES.repeatedHeader, abort: true }),
    z.regex(pattern, message),
  );
}

/** Says in the published contract (OpenAPI) what a schema takes. */
export function described<S extends z.ZodMiniType>(schema: S, description: string): S {
  z.globalRegistry.add(schema, { description });
  return schema;
}
