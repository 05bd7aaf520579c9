import * as z from 'zod/mini';
import { described, singleLine } from '../domain/input-policy';

// POST /c/{linkToken}/delegates and DELETE /c/{linkToken}/delegates/{delegateId}: the bodies and
// paths, as JSON; the page's plain form (formBody) comes to the same body.

/** The helper's name: shown to both partners, sealed with the case's key. */
export const delegateName = singleLine(100, 1, 'Give the name of the person who helps you.');

const stepIds = z
  .array(z.string().check(z.minLength(1), z.maxLength(64)))
  .check(z.minLength(1, { error: 'Choose at least one step.' }), z.maxLength(50));

const ONCE = /^[A-Za-z0-9_-]{16,64}$/;

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const delegateBody = z.strictObject({
  name: delegateName,
  steps: described(
    z.union([z.literal('all'), stepIds]),
    '`all` (the whole case), or the ids of citizen steps of this service.',
  ),
  expiresAt: z.optional(
    described(
      z.string().check(z.regex(DATE_OR_TIME, 'Give a date (YYYY-MM-DD) or a date and time.')),
      'Until when the link works: a date (to the end of that day) or an ISO time; at most the case link’s own expiry, which is also the default.',
    ),
  ),
  once: z.optional(
    described(
      z.string().check(z.regex(ONCE, 'A key of 16 to 64 letters, digits, - or _.')),
      'A key of your choosing that makes the request safe to send again: the same key adds one helper, and answers again with the same link.',
    ),
  ),
});
export type DelegateBody = z.output<typeof delegateBody>;

export const delegateIdParam = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,40}$/, 'Not a delegate id.'));

/**
 * The page's form: a name, a checkbox per step (`step:<id>`) or `all`, an optional date, and the
 * form's one-time key (`_once`, made when the page was drawn).
 */
export function formBody(values: Record<string, string>): unknown {
  const steps = Object.keys(values)
    .filter((key) => key.startsWith('step:'))
    .map((key) => key.slice('step:'.length));
  return {
    name: values.name ?? '',
    steps: values.all === 'yes' ? 'all' : steps,
    ...(values.expiresAt && { expiresAt: values.expiresAt }),
    ...(values._once && { once: values._once }),
  };
}
