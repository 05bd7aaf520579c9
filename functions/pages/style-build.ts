import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { transformSync } from 'esbuild';

// Builds functions/pages/stylesheet.ts from the NL Design System (Utrecht) component CSS and design
// tokens: only the components the citizen page uses and only the tokens they reach, so the Lambda
// bundle carries ~25 kB instead of ~0.5 MB. Run: npx tsx functions/pages/style-build.ts
// A test rebuilds it and compares, so a package update cannot silently drift from the shipped file.

/** Component blocks (BEM) the pages use, with the modifiers they use; other rules are left out. */
export const COMPONENTS: Record<string, string[]> = {
  alert: ['ok', 'error', 'info'],
  'alternate-lang-nav': [],
  body: [],
  button: ['primary-action', 'submit', 'distanced'],
  'button-group': [],
  'data-list': ['rows'],
  document: [],
  form: [],
  'form-field': ['radio', 'invalid', 'distanced'],
  'form-field-description': ['invalid', 'distanced'],
  'form-field-error-message': [],
  'form-fieldset': ['invalid'],
  'form-label': ['radio'],
  'heading-1': [],
  'heading-2': [],
  'heading-3': [],
  'heading-4': [],
  link: ['html-a'],
  page: [],
  'page-body': [],
  'page-content': [],
  'page-footer': [],
  'page-header': [],
  paragraph: ['lead', 'small'],
  'radio-button': ['html-input'],
  root: [],
  separator: [],
  'status-badge': ['neutral', 'warning', 'success', 'safe'],
  textarea: ['html-textarea', 'invalid'],
  textbox: ['html-input', 'invalid'],
  'unordered-list': ['html-content'],
};

// The page's own layout: two lanes per stage, step cards. Everything else is NL Design System.
const OWN = `
.cp-lanes{display:grid;gap:1rem;margin-block:1rem 2rem}
@media (min-width:48rem){.cp-lanes{grid-template-columns:1fr 1fr}}
.cp-lane{background:var(--utrecht-document-background-color,#fff);border:1px solid var(--utrecht-color-grey-80,#ccc);border-radius:.25rem;padding:1rem;min-width:0}
.cp-step{border-block-start:1px solid var(--utrecht-color-grey-90,#e5e5e5);padding-block:.75rem}
.cp-step:first-of-type{border-block-start:0;padding-block-start:0}
.cp-meta{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-block:.25rem .5rem}
.cp-bar{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}
.cp-brand{font-weight:700;font-size:1.25rem;padding-block:.75rem}
.cp-header{background:var(--utrecht-color-red-40,#c00);color:#fff}
.cp-header .utrecht-link{color:#fff}
.utrecht-page{padding-inline:1rem}
.utrecht-status-badge--success{background-color:#1d6b35;color:#fff}
.utrecht-status-badge--warning{background-color:#ffe08a;color:#1a1a1a}
.utrecht-status-badge--neutral{background-color:#e6e6e6;color:#1a1a1a}
.utrecht-textbox,.utrecht-textarea{max-inline-size:100%}
:focus-visible{outline:3px solid var(--utrecht-focus-outline-color,#000);outline-offset:2px;box-shadow:0 0 0 5px #fff}
`;

const require = createRequire(import.meta.url);
const read = (spec: string) => readFileSync(require.resolve(spec), 'utf8');
const minify = (css: string) => transformSync(css, { loader: 'css', minify: true }).code;

/** Splits minified CSS into top-level blocks: `prelude{body}`. */
function blocks(css: string): { prelude: string; body: string }[] {
  const out: { prelude: string; body: string }[] = [];
  let depth = 0;
  let start = 0;
  let open = 0;
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === '{' && depth++ === 0) open = i;
    else if (c === '}' && --depth === 0) {
      out.push({ prelude: css.slice(start, open).trim(), body: css.slice(open + 1, i) });
      start = i + 1;
    } else if (c === ';' && depth === 0) start = i + 1; // @charset, @import
  }
  return out;
}

/** Splits a selector list at its top-level commas, not those inside :not(...) or :is(...). */
function selectorList(prelude: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < prelude.length; i++) {
    const c = prelude[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(prelude.slice(start, i));
      start = i + 1;
    }
  }
  out.push(prelude.slice(start));
  return out;
}

function wanted(selector: string): boolean {
  const classes = selector.match(/\.utrecht-[a-z0-9-]+(?:__[a-z0-9-]+)?(?:--[a-z0-9-]+)?/g) ?? [];
  if (classes.length === 0) return false;
  return classes.every((c) => {
    const [, block = '', modifier] =
      c.match(/^\.utrecht-([a-z0-9-]+?)(?:__[a-z0-9-]+)?(?:--([a-z0-9-]+))?$/) ?? [];
    const modifiers = COMPONENTS[block];
    return modifiers !== undefined && (modifier === undefined || modifiers.includes(modifier));
  });
}

function filter(css: string): string {
  return blocks(css)
    .map(({ prelude, body }) => {
      if (prelude.startsWith('@media') || prelude.startsWith('@supports')) {
        const inner = filter(body);
        return inner ? `${prelude}{${inner}}` : '';
      }
      if (prelude.startsWith('@')) return '';
      const selectors = selectorList(prelude).filter(wanted);
      return selectors.length ? `${selectors.join(',')}{${body}}` : '';
    })
    .join('');
}

/** The theme's custom properties that the kept CSS reaches, following var() chains. */
function tokens(theme: string, used: string): string {
  const decls = new Map<string, string>();
  for (const { body } of blocks(theme))
    for (const m of body.matchAll(/(--[\w-]+):([^;]*)/g)) if (m[1] && m[2]) decls.set(m[1], m[2].trim());
  const keep = new Set<string>();
  const queue = [...used.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1] ?? '');
  while (queue.length) {
    const name = queue.pop() ?? '';
    if (keep.has(name) || !decls.has(name)) continue;
    keep.add(name);
    for (const m of (decls.get(name) ?? '').matchAll(/var\((--[\w-]+)/g)) queue.push(m[1] ?? '');
  }
  return `.utrecht-theme{${[...keep]
    .sort()
    .map((k) => `${k}:${decls.get(k)}`)
    .join(';')}}`;
}

export function buildStylesheet(): string {
  const components = filter(minify(read('@utrecht/component-library-css/dist/index.css')));
  const own = minify(OWN);
  const theme = tokens(minify(read('@utrecht/design-tokens/dist/theme.css')), components + own);
  const license =
    '/* NL Design System, Utrecht components and tokens: EUPL-1.2, Gemeente Utrecht, Frameless B.V. */';
  return `${license}\n${theme}\n${components}\n${own}`;
}

export function stylesheetModule(css: string): string {
  return `// Generated by functions/pages/style-build.ts; do not edit.\nexport const STYLESHEET = ${JSON.stringify(css)};\n`;
}

/** The content-hashed file name: a module of its own, so pages link the sheet without bundling it. */
export function styleFileName(css: string): string {
  return `style-${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css`;
}

export function styleFileModule(css: string): string {
  return `// Generated by functions/pages/style-build.ts; do not edit.\nexport const STYLE_FILE = '${styleFileName(css)}';\n`;
}

if (process.argv[1]?.endsWith('style-build.ts')) {
  const css = buildStylesheet();
  writeFileSync(new URL('./stylesheet.ts', import.meta.url), stylesheetModule(css));
  writeFileSync(new URL('./style-file.ts', import.meta.url), styleFileModule(css));
}
