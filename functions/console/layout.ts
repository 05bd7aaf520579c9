import type { Locale } from '../domain/model';
import { esc, page } from '../pages/html';
import type { Session } from './session';
import { WORDS } from './text';

// The console's frame: the citizen page's layout and stylesheet (functions/pages/html.ts) with the
// organisation as brand, a bar with the staff member and sign-out, and styles for tables and charts.

const EXTRA_STYLE = `<style>
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #b3b3b3;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
.cp-table{overflow-x:auto}.cp-who{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ccc;padding-block:.5rem}
.cp-who form{margin:0}.cp-linkbutton{background:none;border:0;color:#24598f;text-decoration:underline;font:inherit;padding:0;cursor:pointer}
.cp-nav{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}
.cp-filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;border:1px solid #ccc;padding:.75rem;margin-block:.5rem}.cp-filters label{display:block;font-weight:600}.cp-filters label.cp-check{font-weight:400}
.cp-steps{list-style:none;padding:0;margin:.25rem 0}.cp-citizen-link{word-break:break-all}svg{max-width:100%;height:auto;background:#fff}
.cp-danger{background:#a4161a!important;color:#fff!important}
</style>`;

export interface LayoutInput {
  locale: Locale;
  title: string;
  /** Root-relative path of /console. */
  base: string;
  /** Root-relative path of this page, for the language switch. */
  self: string;
  session?: Session;
  csrf?: string;
  body: string;
}

export function consolePage(input: LayoutInput): string {
  const t = WORDS[input.locale];
  const other = input.locale === 'nl' ? 'en' : 'nl';
  const root = input.base.replace(/\/console$/, '');
  const who = input.session
    ? `<div class="cp-who"><p class="utrecht-paragraph"><a class="utrecht-link utrecht-link--html-a" href="${esc(input.base)}">${t.console}</a></p><p class="utrecht-paragraph">${t.signedInAs} <strong>${esc(input.session.email ?? input.session.sub)}</strong> (${esc(input.session.org)})</p>
<form method="post" action="${esc(input.base)}/logout"><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><button type="submit" class="cp-linkbutton">${t.signOut}</button></form></div>`
    : '';
  return page(input.locale, `${input.title} – ${t.console}`, `${EXTRA_STYLE}${who}${input.body}`, {
    root,
    brand: input.session ? `${t.console} · ${input.session.org}` : t.console,
    switchTo: { href: `${input.self}?lang=${other}`, locale: other, label: t.other },
  });
}
