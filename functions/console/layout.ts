import type { Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import { esc, page } from '../pages/html';
import type { Session } from './session';
import { WORDS } from './text';

// The console's frame: the citizen page's layout and stylesheet (functions/pages/html.ts) with the
// organisation as brand, a bar with the staff member and sign-out, and styles for tables and charts.
// Tables undo the root's word-break:break-word and hyphens:auto: with them a cell's narrowest width is one
// letter, so the auto layout squeezed short headers ("Status") into broken words; wide tables scroll.

const EXTRA_STYLE = `<style>
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #b3b3b3;padding:.4rem .5rem;text-align:left;vertical-align:top;word-break:normal;overflow-wrap:break-word;hyphens:manual}th{background:#f0f0f0}thead th{white-space:nowrap}
.cp-table{overflow-x:auto}.cp-who{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #ccc;padding-block:.5rem}
.cp-who form{margin:0}.cp-linkbutton{background:none;border:0;color:#24598f;text-decoration:underline;font:inherit;padding:0;cursor:pointer}
.cp-nav{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}
.cp-filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;border:1px solid #ccc;padding:.75rem;margin-block:.5rem}.cp-filters label{display:block;font-weight:600}.cp-filters label.cp-check{font-weight:400}
.cp-steps{list-style:none;padding:0;margin:.25rem 0}.cp-citizen-link{word-break:break-all}svg{max-width:100%;height:auto;background:#fff}
.cp-danger{background:#a4161a!important;color:#fff!important}
.utrecht-status-badge--danger{background-color:#a4161a;color:#fff}.cp-num{text-align:right;font-variant-numeric:tabular-nums}
.cp-code{background:#f3f3f3;border:1px solid #ccc;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere}
.cp-progress progress{display:block;width:100%;max-width:40rem;height:1.5rem;accent-color:#1d5b8f}
.cp-facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}.cp-facts dd{margin:0}.cp-counters{max-width:30rem}
.cp-hbars{max-width:48rem;margin-block:.5rem}.cp-hbar{margin-block:.4rem}.cp-hbar-label{display:block}
.cp-hbar-line{display:flex;align-items:center;gap:.5rem}.cp-hbar-track{flex:1 1 auto;min-width:0}.cp-hbar-num{flex:0 0 4rem;font-variant-numeric:tabular-nums}
.cp-hbar-fill{display:block;height:1.25rem;min-width:2px}
.cp-rows th,.cp-rows td:not(:last-child){white-space:nowrap}.cp-spread{max-width:48rem}
.cp-hbar-stage{background:#1d5b8f}.cp-hbar-completed{background:#1d6b35}.cp-hbar-expired{background:#b35900}.cp-hbar-cancelled{background:#5a5a5a}.cp-hbar-failed{background:#a4161a}
.cp-failure{border-left:.35rem solid #a4161a;padding-left:1rem;margin-block:1rem}
</style>`;

export interface LayoutInput {
  locale: Locale;
  title: string;
  /** Root-relative path of /console. */
  base: string;
  /** Root-relative path of this page with its query, for the language switch. */
  self: string;
  session?: Session;
  csrf?: string;
  body: string;
  /** Extra head elements (already escaped), e.g. the round page's opt-in meta refresh. */
  head?: string;
}

export function consolePage(input: LayoutInput): string {
  const t = WORDS[input.locale];
  const other = input.locale === 'nl' ? 'en' : 'nl';
  const root = input.base.replace(/\/console$/, '');
  const who = input.session
    ? `<div class="cp-who"><p class="utrecht-paragraph"><a class="utrecht-link utrecht-link--html-a" href="${esc(input.base)}">${t.console}</a></p><p class="utrecht-paragraph">${t.signedInAs} <strong>${esc(input.session.email ?? input.session.sub)}</strong> (${esc(orgDisplayName(input.session.org))})</p>
<form method="post" action="${esc(input.base)}/logout"><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><button type="submit" class="cp-linkbutton">${t.signOut}</button></form></div>`
    : '';
  return page(input.locale, `${input.title} – ${t.console}`, `${EXTRA_STYLE}${who}${input.body}`, {
    root,
    brand: input.session ? `${t.console} · ${orgDisplayName(input.session.org)}` : t.console,
    switchTo: {
      href: `${input.self}${input.self.includes('?') ? '&' : '?'}lang=${other}`,
      locale: other,
      label: t.other,
    },
    ...(input.head && { head: input.head }),
  });
}

/**
 * The box that says why something was refused. `focus`: the answer to a form the staff member sent, so
 * focus lands on the box and the next Tab is its first link (the citizen's pages do the same).
 */
export function alertBox(inner: string, focus = false): string {
  return `<div class="notice alert" role="alert"${focus ? ' tabindex="-1" autofocus' : ''}>${inner}</div>`;
}
