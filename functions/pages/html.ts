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
// C0 controls but tab, LF and CR, and DEL and the C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const HTML_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Text for HTML, in content and attributes. A control character (other than tab and line breaks) has
 * no place in a page: one typed into a refused form comes back as U+FFFD, not as a raw NUL or escape.
 */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
    .replace(HTML_CONTROL, '\ufffd');
}

/** An NL Design System status badge; `tone` is its colour (style-build.ts), `label` its words, already safe. */
export function statusBadge(tone: string, label: string): string {
  return `<span class="utrecht-status-badge utrecht-status-badge--${tone}">${label}</span>`;
}

/** The colour of a step's status, as shown (case-dto.ts shownStepStatus), on every page that shows steps. */
const STEP_TONES = { OPEN: 'warning', DONE: 'success', PENDING: 'neutral', CLOSED: 'neutral' } as const;

export function stepBadge(status: keyof typeof STEP_TONES, label: string): string {
  return statusBadge(STEP_TONES[status], label);
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
