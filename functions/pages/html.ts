import type { Locale } from '../domain/model';
import { STYLE_FILE } from './style-file';

// Tiny HTML helpers. Every value that reaches a page goes through `esc` (or `attr`), including
// text from the service definitions: a page never trusts a string it did not write itself.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export interface PageChrome {
  /** Path prefix of the app (the stage path of PUBLIC_URL, often ''), for the stylesheet. */
  root: string;
  /** Name shown in the header: the organisation. */
  brand?: string;
  /** Link to the same page in the other language. */
  switchTo?: { href: string; locale: Locale; label: string };
  /** Extra elements for the head (the console's opt-in meta refresh), already escaped. */
  head?: string;
}

/** A page in the NL Design System (Utrecht) page layout: header with language switch, main, no script. */
export function page(locale: Locale, title: string, body: string, chrome: PageChrome = { root: '' }): string {
  const sw = chrome.switchTo;
  const nav = sw
    ? `<nav class="utrecht-alternate-lang-nav" aria-label="${locale === 'nl' ? 'Taal' : 'Language'}"><a class="utrecht-link utrecht-link--html-a" href="${esc(sw.href)}" hreflang="${sw.locale}" lang="${sw.locale}">${esc(sw.label)}</a></nav>`
    : '';
  return `<!doctype html>
<html lang="${locale}" class="utrecht-root"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">${chrome.head ?? ''}<title>${esc(title)}</title><link rel="stylesheet" href="${esc(chrome.root)}/c/assets/${STYLE_FILE}"></head>
<body class="utrecht-theme utrecht-document utrecht-body"><header class="utrecht-page-header cp-header"><div class="utrecht-page cp-bar"><span class="cp-brand">${esc(chrome.brand ?? 'coproduce')}</span>${nav}</div></header>
<main class="utrecht-page"><div class="utrecht-page-content">${body}</div></main></body></html>`;
}
