import { esc } from '../pages/html';

// The links between the pages of a listing (cases, rounds, a case's processing log): back to the first
// page once past it, on to the next (rel=next) while there is one. A listing of one page gets none.

export interface PagerLink {
  href: string;
  text: string;
}

export function pager(label: string, links: { first?: PagerLink | false; next?: PagerLink | false }): string {
  const items = [
    links.first ? `<li><a href="${esc(links.first.href)}">${links.first.text}</a></li>` : '',
    links.next ? `<li><a href="${esc(links.next.href)}" rel="next">${links.next.text}</a></li>` : '',
  ].join('');
  return items ? `<nav aria-label="${label}"><ul class="cp-nav">${items}</ul></nav>` : '';
}

/** A listing's path with its query (the cursor of the page, the filters kept). */
export const withQuery = (path: string, query: Record<string, string>) => {
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
};
