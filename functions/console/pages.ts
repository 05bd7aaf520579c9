import * as z from 'zod/mini';
import type { Service } from '../../workflows/schema';
import { citizenLink } from '../domain/case-ids';
import { caseCipher } from '../domain/case-keys';
import { CASE_STATUSES, type CaseRecord } from '../domain/model';
import type { PiiVault } from '../domain/pii';
import type { PageKey } from '../domain/ports';
import { type DataCategory, logProcessing } from '../domain/processing-log';
import { referenceOf } from '../domain/record-views';
import { caseDto } from '../domain/views';
import { casesScope, openCursor, sealCursor } from '../shared/cursor';
import { ValidationError } from '../shared/errors';
import { CASE_NOTICES, type CasePageInput, caseBody } from './case-page';
import { chartBody } from './chart-page';
import { type Ctx, loadCase, render, staffOf } from './context';
import { basePath } from './deps';
import { listBody } from './list-page';
import { progressOf, stageTimings, waitingCounts } from './progress';
import { randomToken } from './session';
import { startBody } from './start-page';

// The console's GET pages: a case, a service's case list, its chart, and the start form. The list shows
// one personal value per case (its reference, else the citizen's name), each read logged; the chart
// opens nothing personal at all.

const PAGE_SIZE = 20;
const CHART_MAX_CASES = 300;

export async function casePage(ctx: Ctx, caseId: string, status = 200, extra: Partial<CasePageInput> = {}) {
  const { service, dto } = await loadCase(ctx, caseId);
  const notice = z.enum(CASE_NOTICES).safeParse(ctx.req.query.notice);
  const body = caseBody({
    dto,
    service,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    csrf: ctx.csrf,
    citizenLink: citizenLink(ctx.deps, caseId),
    now: ctx.deps.clock.now(),
    ...(notice.success && { notice: notice.data }),
    ...extra,
  });
  return render(ctx, status, dto.service.title[ctx.req.locale], body, `/cases/${caseId}`);
}

const statusParam = z.optional(z.enum(CASE_STATUSES));

export async function listPage(ctx: Ctx, service: Service) {
  const { repo, clock, vault } = ctx.deps;
  const q = ctx.req.query;
  const status = statusParam.safeParse(q.status || undefined);
  if (!status.success)
    throw new ValidationError('Unknown status.', { fields: { status: 'Unknown status.' } });
  const scope = casesScope(ctx.session.org, service.id, status.data);
  const page = await repo.listCases({
    org: ctx.session.org,
    serviceId: service.id,
    limit: PAGE_SIZE,
    ...(status.data && { status: status.data }),
    ...(q.cursor && { after: openCursor(vault, scope, q.cursor) }),
  });
  const now = clock.now().getTime();
  const views = await Promise.all(page.items.map((c) => repo.getCaseView(c.caseId)));
  const rows = views
    .filter((v) => v !== undefined)
    .map((v) => ({ dto: caseDto(service, v, 'provider', vault, 'none'), label: labelOf(vault, v.case) }))
    .map(({ dto, label }) => ({ dto, label: label?.text, read: label, progress: progressOf(dto, now) }))
    // The overdue filter applies to the cases of this page (the index has no per-step dates).
    .filter((r) => q.overdue !== '1' || r.progress.citizen.overdue + r.progress.provider.overdue > 0);
  const read = rows.flatMap((r) =>
    r.read ? [{ caseId: r.dto.caseId, serviceId: service.id, categories: [r.read.category] }] : [],
  );
  await logProcessing(ctx.deps.log, staffOf(ctx), 'read', read, () => service, clock);
  const body = listBody({
    service,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    rows,
    overdue: q.overdue === '1',
    paged: Boolean(q.cursor),
    ...(status.data && { status: status.data }),
    ...(page.next && { cursor: sealCursor(vault, scope, page.next) }),
  });
  return render(ctx, 200, service.title[ctx.req.locale], body, `/services/${service.id}`);
}

export async function chartPage(ctx: Ctx, service: Service) {
  const { repo, clock, vault } = ctx.deps;
  const dtos = [];
  let after: PageKey | undefined;
  do {
    const page = await repo.listCases({
      org: ctx.session.org,
      serviceId: service.id,
      limit: 100,
      ...(after && { after }),
    });
    const views = await Promise.all(page.items.map((c) => repo.getCaseView(c.caseId)));
    // Timings only: nothing personal is opened, so the chart reads no one's data.
    for (const v of views) if (v) dtos.push(caseDto(service, v, 'provider', vault, 'none'));
    after = page.next;
  } while (after && dtos.length < CHART_MAX_CASES);
  const now = clock.now().getTime();
  const body = chartBody({
    service,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    timings: stageTimings(service, dtos),
    waiting: waitingCounts(dtos.map((d) => progressOf(d, now))),
    caseCount: dtos.length,
  });
  return render(ctx, 200, service.title[ctx.req.locale], body, `/services/${service.id}/chart`);
}

/** What a list row calls a case: its reference, else the citizen's name (each personal data). */
function labelOf(vault: PiiVault, record: CaseRecord): { text: string; category: DataCategory } | undefined {
  const reference = referenceOf(vault, record);
  if (reference !== undefined) return { text: reference, category: 'reference' };
  const name = caseCipher(vault, record).open(record.citizen.nameEnc);
  return name === undefined ? undefined : { text: name, category: 'contact' };
}

export function startPage(
  ctx: Ctx,
  service: Service,
  status = 200,
  values?: Record<string, string>,
  errors?: Record<string, string>,
) {
  const body = startBody({
    service,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    csrf: ctx.csrf,
    idempotencyKey: values?.idempotencyKey ?? randomToken(16),
    ...(values && { values }),
    ...(errors && { errors }),
  });
  return render(ctx, status, service.title[ctx.req.locale], body, `/services/${service.id}/new`);
}
