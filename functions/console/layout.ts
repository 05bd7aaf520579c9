import type { Locale } from '../domain/model';
import { esc, page } from '../pages/html';
import type { Session } from './session';
import { WORDS } from './text';

// The console's frame around the citizen page's look (functions/pages/html.ts): a header with the
// organisation, the language switch and sign-out, plus styles for tables and the chart.

const EXTRA_STYLE = `<style>
main{max-width:72rem}table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#ececea}
.table-wrap{overflow-x:auto}header.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ccc;padding-bottom:.5rem}
header.bar form{display:inline;margin:0}.link-button{background:none;color:#1d5b8f;text-decoration:underline;padding:0}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.5rem 0}
select,input[type=email],input[type=tel]{padding:.5rem;font:inherit;border:1px solid #767676;border-radius:.25rem;max-width:100%}
input[type=email],input[type=tel]{width:100%}.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;background:#fff;border:1px solid #ccc;border-radius:.5rem;padding:.75rem}
.filters .field{margin:0}.citizen-link{word-break:break-all}svg{max-width:100%;height:auto;background:#fff}
a{color:#1d5b8f}button.danger{background:#a4161a}
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
  const who = input.session
    ? `<p>${t.signedInAs} <strong>${esc(input.session.email ?? input.session.sub)}</strong> (${esc(input.session.org)})</p>
<form method="post" action="${esc(input.base)}/logout"><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><button type="submit" class="link-button">${t.signOut}</button></form>`
    : '';
  const header = `<header class="bar"><p><a href="${esc(input.base)}">${t.console}</a></p>${who}<p><a href="${esc(input.self)}?lang=${other}" lang="${other}">${t.other}</a></p></header>`;
  return page(input.locale, `${input.title} – ${t.console}`, `${EXTRA_STYLE}${header}${input.body}`);
}
