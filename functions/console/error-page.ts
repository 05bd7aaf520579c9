import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { AppError } from '../shared/errors';
import { DETAILED, STAFF_TEXT } from './error-texts';
import { consolePage } from './layout';
import { casePathOf } from './return-path';

// Console error pages: what went wrong in the staff member's language, never internals.

const TITLES: Record<number, { nl: string; en: string }> = {
  400: { nl: 'Dat lukte niet', en: 'That did not work' },
  403: { nl: 'Niet toegestaan', en: 'Not allowed' },
  404: { nl: 'Niet gevonden', en: 'Not found' },
  409: { nl: 'Dat kan nu niet', en: 'Not possible now' },
};

/** `rel`: the console path that was refused; a refusal about a case links back to that case. */
export function consoleErrorPage(
  status: number,
  error: unknown,
  locale: Locale,
  base: string,
  rel = '',
): string {
  const title = TITLES[status] ?? { nl: 'Er ging iets mis', en: 'Something went wrong' };
  const onCase = status === 404 ? undefined : casePathOf(rel);
  const back = onCase
    ? `<a href="${esc(`${base}${onCase}`)}">${locale === 'en' ? 'Back to the case' : 'Terug naar de zaak'}</a>`
    : `<a href="${esc(base)}">${locale === 'en' ? 'Back to the console' : 'Terug naar de console'}</a>`;
  const body = `<h1>${esc(title[locale])}</h1>${explanation(status, error, locale)}<p>${back}</p>`;
  return consolePage({ locale, title: title[locale], base, self: base, body });
}

/** In the staff member's language where the code has a text (error-texts.ts); else the domain's English message. */
function explanation(status: number, error: unknown, locale: Locale): string {
  if (!(error instanceof AppError) || status >= 500)
    return `<p>${locale === 'en' ? 'Please try again later.' : 'Probeer het later nog eens.'}</p>`;
  const notReached = error.code === 'STEP_NOT_OPEN' && error.details?.status === 'PENDING';
  const text = STAFF_TEXT[notReached ? 'STEP_NOT_OPEN:PENDING' : error.code];
  if (!text) return `<p lang="en">${esc(error.message)}</p>`;
  const detail = DETAILED.has(error.code) ? `<p lang="en">${esc(error.message)}</p>` : '';
  return `<p>${esc(text[locale])}</p>${detail}`;
}
