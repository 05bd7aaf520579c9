import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import type { MemoryReportTally } from '../reports/memory-tally';
import { makeDeps, request, session } from './support';

// The console's report page: the staff's own organisation's figures, a range that does not hold
// explained (not an error page), the CSV, and another kind's service as missing.

function setup() {
  const t = makeDeps();
  const tally = t.deps.tally as MemoryReportTally;
  const get = (rel: string, over = {}) => consoleApp(t.deps, request(t.deps, { rel, ...over }));
  const add = (org: string, side: 'citizen' | 'provider', counts: Record<string, number>, id: string) =>
    tally.addOnce({ caseId: id, id, ttl: 1 }, [
      { key: { org, serviceId: 'waste-collection', day: '2026-03-01', stageId: 'round', side }, counts },
    ]);
  return { get, add };
}

describe('console: who waits on whom', () => {
  it("shows the organisation's figures per stage and side, in a chart and a table", async () => {
    const { get, add } = setup();
    await add('gm0363', 'citizen', { visits: 2, waited: 2 * 86_400, h33: 2, reminders: 3 }, 'a');
    await add('gm0363', 'provider', { visits: 2, waited: 0, h0: 2, overdue: 1 }, 'b');
    await add('other-org', 'citizen', { visits: 50, h10: 50 }, 'c');
    const page = await get('/services/waste-collection/report', {
      query: { from: '2026-02-01', to: '2026-03-02' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg role="img" aria-labelledby="report-chart-title"');
    expect(page.body).toContain('2 afgeronde fasebezoeken van 2026-02-01 tot en met 2026-03-02.');
    expect(page.body).toMatch(
      /<td>De inwoner \(wachtte op Gm0363\)<\/td><td class="cp-num">2<\/td><td>\d+ dag/,
    );
    expect(page.body).toContain(
      '<td>Gm0363 (wachtte op de inwoner)</td><td class="cp-num">2</td><td>geen</td><td>geen</td><td class="cp-num">1</td>',
    );
    expect(page.body).toContain(
      'href="/console/services/waste-collection/report?from=2026-02-01&amp;to=2026-03-02&amp;format=csv&amp;lang=nl"',
    );
  });

  it('explains a range that does not hold and shows the last 30 days instead', async () => {
    const { get } = setup();
    const page = await get('/services/waste-collection/report', {
      query: { from: '2026-03-05', to: '2026-03-01' },
      locale: 'en',
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(
      'role="alert"><p>‘From’ is after ‘To (inclusive)’. Below are the last 30 days.</p>',
    );
    expect(page.body).toContain('value="2026-03-02"');
  });

  it('says a date that is not one in Dutch, and answers a CSV download of it with the page, 400', async () => {
    const { get } = setup();
    const page = await get('/services/waste-collection/report', {
      query: { from: '2026-02-30', to: '2026-03-01', format: 'csv' },
    });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(
      'role="alert"><p>Vul bij ‘Van’ een datum in als JJJJ-MM-DD. Hieronder staan de laatste 30 dagen.</p>',
    );
    const long = await get('/services/waste-collection/report', {
      query: { from: '2020-01-01', to: '2026-03-01' },
    });
    expect(long.body).toContain('Een rapport beslaat ten hoogste 731 dagen.');
  });

  it('downloads the CSV, and treats another kind of organisation as not there', async () => {
    const { get, add } = setup();
    await add('gm0363', 'citizen', { visits: 1, waited: 60, h1: 1 }, 'a');
    const csv = await get('/services/waste-collection/report', {
      query: { from: '2026-03-01', to: '2026-03-01', format: 'csv' },
    });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n')[1]).toBe('round,Aanbieden en ophalen,citizen,1,60,60,60,0,0,0,0');
    const school = await get('/services/waste-collection/report', {
      session: session({ orgKind: 'school' }),
    }).catch((error: { code?: string }) => error);
    expect(school).toMatchObject({ code: 'NOT_FOUND' });
  });
});
