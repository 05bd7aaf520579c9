import type { ProcessingView } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { staffProcessingPage } from '../domain/processing-pages';
import { esc } from '../pages/html';
import { openCursor, processingScope, sealCursor } from '../shared/cursor';
import { processingTable } from './case-privacy';
import { type Ctx, render } from './context';
import { basePath } from './deps';
import { pager, withQuery } from './pager';
import { providerOfSession } from './session';

// GET /console/cases/{id}/processing: a case's whole processing log, newest first, a page at a time
// (domain/processing-pages.ts), for the privacy officer: the case page shows its newest lines only.

const WORDS = {
  nl: {
    title: 'Verwerkingslog',
    intro: 'Alle regels van deze zaak, de nieuwste eerst.',
    back: 'Terug naar de zaak',
    newest: 'Nieuwste regels',
    older: 'Oudere regels',
  },
  en: {
    title: 'Processing log',
    intro: 'Every line of this case, newest first.',
    back: 'Back to the case',
    newest: 'Newest lines',
    older: 'Older lines',
  },
} as const;

export async function processingLogPage(ctx: Ctx, caseId: string) {
  const scope = processingScope(caseId);
  const cursor = ctx.req.query.cursor;
  const before = cursor ? openCursor(ctx.deps.vault, scope, cursor) : undefined;
  const provider = providerOfSession(ctx.session);
  const page = await staffProcessingPage(ctx.deps, provider, caseId, before);
  const body = processingBody({
    caseId,
    entries: page.entries,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    paged: before !== undefined,
    ...(page.older && { older: sealCursor(ctx.deps.vault, scope, page.older) }),
  });
  return render(ctx, 200, WORDS[ctx.req.locale].title, body, `/cases/${caseId}/processing`);
}

interface ProcessingBodyInput {
  caseId: string;
  entries: readonly ProcessingView[];
  locale: Locale;
  base: string;
  /** Not the newest page: it offers the way back to the top. */
  paged: boolean;
  /** The sealed cursor of the next, older page. */
  older?: string;
}

export function processingBody(input: ProcessingBodyInput): string {
  const t = WORDS[input.locale];
  const self = `${input.base}/cases/${encodeURIComponent(input.caseId)}`;
  const path = `${self}/processing`;
  const pages = pager(t.title, {
    first: input.paged && { href: path, text: t.newest },
    next: input.older !== undefined && { href: withQuery(path, { cursor: input.older }), text: t.older },
  });
  return `<h1>${t.title}</h1>
<ul class="cp-nav"><li><a href="${esc(self)}">${t.back}</a></li></ul>
<p>${t.intro}</p>${processingTable(input.entries, input.locale)}${pages}`;
}
