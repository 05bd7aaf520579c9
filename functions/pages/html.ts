import type { Locale } from '../domain/model';

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

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f6f4}
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .5rem}h4{font-size:1rem;margin:0}
.lanes{display:grid;gap:.75rem}@media(min-width:40rem){.lanes{grid-template-columns:1fr 1fr}}
.lane{background:#fff;border:1px solid #ccc;border-radius:.5rem;padding:.75rem}
.step{border-top:1px solid #e2e2e2;padding:.5rem 0}.step:first-of-type{border-top:0}
.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-size:.875rem;background:#e8e8e8}
.OPEN{background:#fff1c2}.DONE{background:#d8f0dc}.PENDING{background:#eee;color:#555}
.notice{padding:.75rem;border-radius:.5rem;margin:1rem 0;background:#d8f0dc}.alert{background:#fde2e1}
.field{margin:.75rem 0}label,legend{font-weight:600;display:block}fieldset{border:0;padding:0;margin:.75rem 0}
fieldset label{font-weight:400}input[type=text],input[type=date],input[type=number],textarea{width:100%;padding:.5rem;font:inherit;border:1px solid #767676;border-radius:.25rem}
input[aria-invalid=true],textarea[aria-invalid=true]{border:2px solid #b00020}.error{color:#b00020;margin:.25rem 0}
.help{color:#555;margin:.25rem 0}button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.25rem;background:#1d5b8f;color:#fff}
dl{margin:.25rem 0}dt{font-weight:600}dd{margin:0 0 .25rem}
`;

export function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}
