import { caseOfProvider } from '../domain/access';
import type { ProcessingView } from '../domain/case-dto';
import { requireService } from '../domain/definitions';
import type { Locale } from '../domain/model';
import { PROCESSING_SHOWN, processingEntry } from '../domain/processing-log';
import { esc } from '../pages/html';
import { openCursor, processingScope, sealCursor } from '../shared/cursor';
import { processingTable } from './case-privacy';
import { type Ctx, render } from './context';
import { basePath } from './deps';
import { providerOfSession } from './session';

// GET /console/cases/{id}/processing: a case's whole processing log, newest first, a page at a time.
// The case page shows its newest lines only (every read adds one), so this is where a privacy officer
// sees the older ones. The page opens none of the citizen's data, so it is not itself a logged read: a
// helper who used their link shows as one, unnamed (their name is the citizen's data).

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
  const record = await caseOfProvider(ctx.deps.repo, caseId, providerOfSession(ctx.session));
  const service = requireService(record.serviceId);
  const scope = processingScope(caseId);
  const cursor = ctx.req.query.cursor;
  const before = cursor ? openCursor(ctx.deps.vault, scope, cursor) : undefined;
  const page = await ctx.deps.log.processingPage(caseId, PROCESSING_SHOWN, before);
  const entries: ProcessingView[] = page.records.map((record) => ({
    ...processingEntry(record, service),
    ...(record.delegateId !== undefined && { delegate: {} }),
    by: record.by,
    traceId: record.traceId,
  }));
  const body = processingBody({
    caseId,
    entries,
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
  const pages = [
    input.paged ? `<li><a href="${esc(path)}">${t.newest}</a></li>` : '',
    input.older
      ? `<li><a href="${esc(path)}?${esc(new URLSearchParams({ cursor: input.older }).toString())}" rel="next">${t.older}</a></li>`
      : '',
  ].join('');
  return `<h1>${t.title}</h1>
<ul class="cp-nav"><li><a href="${esc(self)}">${t.back}</a></li></ul>
<p>${t.intro}</p>${processingTable(input.entries, input.locale)}${pages ? `<nav aria-label="${t.title}"><ul class="cp-nav">${pages}</ul></nav>` : ''}`;
}
