import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import { csrfToken } from '../../../functions/console/session';
import type { RoundRecord } from '../../../functions/rounds/model';
import { type AppError, NotFoundError, ValidationError } from '../../../functions/shared/errors';
import { roundRecord } from './round-fakes';
import { makeDeps, NOW, request, session } from './support';

function setup() {
  const t = makeDeps();
  const get = (rel: string, over = {}) => consoleApp(t.deps, request(t.deps, { rel, ...over }));
  const put = (over: Partial<RoundRecord> = {}) => {
    const record = roundRecord(over);
    t.rounds.rounds.set(record.roundId, record);
    return record;
  };
  return { ...t, get, put };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: AppError) => e,
  );

const META_REFRESH = '<meta http-equiv="refresh" content="3">';
const id = (n: number) => n.toString(16).padStart(32, '0');

describe('console rounds list', () => {
  it('is linked from the home page and the case list of a service', async () => {
    const { get } = setup();
    for (const rel of ['', '/services/waste-collection']) {
      const page = await get(rel);
      expect(page.body).toContain('<a href="/console/services/waste-collection/rounds">Rondes</a>');
    }
    const en = await get('/services/waste-collection', { locale: 'en' });
    expect(en.body).toContain('<a href="/console/services/waste-collection/rounds">Rounds</a>');
  });

  it("shows the organisation's rounds in words, and how to start one without an upload form", async () => {
    const { get, put } = setup();
    put({ roundId: id(1), name: 'Noord', status: 'STARTING', validated: 10_000, started: 4_200, failed: 3 });
    put({ roundId: id(2), name: 'Zuid', status: 'REJECTED', createdAt: '2026-03-01T09:00:00.000Z' });
    put({ roundId: id(3), name: 'Andere gemeente', org: 'gm0999' });
    put({ roundId: id(4), name: 'Andere dienst', serviceId: 'care-plan' });
    const page = await get('/services/waste-collection/rounds');
    expect(page.statusCode).toBe(200);
    const rows = page.body.match(/<tr><th scope="row">.*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`<a href="/console/rounds/${id(1)}">Noord</a>`);
    expect(rows[0]).toContain('Zaken worden gestart');
    expect(rows[0]).toContain('<td>4.200 / 10.000</td><td>3</td>');
    expect(rows[0]).toContain('1 maart 2026');
    expect(rows[1]).toContain('Afgewezen');
    expect(page.body).not.toContain('Andere');
    expect(page.body).toContain(
      '<code>npm run round -- start waste-collection FILE.csv [--name NAME] [--skip-invalid]</code>',
    );
    expect(page.body).not.toContain('<form method="post" action="/console/services/waste-collection/rounds');
    const en = await get('/services/waste-collection/rounds', { locale: 'en' });
    expect(en.body).toContain('Starting cases');
    expect(en.body).toContain('4,200 / 10,000');
  });

  it('pages through many rounds with a cursor', async () => {
    const { get, put } = setup();
    for (let i = 0; i < 60; i++)
      put({
        roundId: id(i),
        name: `Ronde ${i}`,
        createdAt: `2026-03-01T08:${String(i).padStart(2, '0')}:00.000Z`,
      });
    const first = await get('/services/waste-collection/rounds');
    const next = /<a href="\/console\/services\/waste-collection\/rounds\?cursor=([^"]+)" rel="next">/.exec(
      first.body,
    );
    expect(next).not.toBeNull();
    const firstNames = new Set(first.body.match(/Ronde \d+/g));
    const second = await get('/services/waste-collection/rounds', { query: { cursor: next?.[1] } });
    const secondNames = second.body.match(/Ronde \d+/g) ?? [];
    expect(secondNames.length).toBeGreaterThan(0);
    expect(secondNames.filter((n) => firstNames.has(n))).toEqual([]);
    expect(second.body).toContain('Eerste pagina');
    expect(first.body).toContain('Volgende pagina');
  });

  it('refuses a crafted or foreign cursor with a 400', async () => {
    const { get, put } = setup();
    for (let i = 0; i < 60; i++) put({ roundId: id(i), name: `Ronde ${i}` });
    const first = await get('/services/waste-collection/rounds');
    const cursor = /rounds\?cursor=([^"]+)" rel="next">/.exec(first.body)?.[1] as string;
    for (const crafted of ['e30', `${cursor}x`, '{"position":"50"}', 'A'.repeat(2000)])
      expect(
        await failure(get('/services/waste-collection/rounds', { query: { cursor: crafted } })),
      ).toBeInstanceOf(ValidationError);
  });

  it("answers another kind's service with a 404", async () => {
    const { get } = setup();
    expect(await failure(get('/services/child-development/rounds'))).toBeInstanceOf(NotFoundError);
  });
});

describe('console round page', () => {
  it('explains a round that waits for its file', async () => {
    const { get, put } = setup();
    const r = put();
    const page = await get(`/rounds/${r.roundId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Ronde: Wijk Noord 2026</h1>');
    expect(page.body).toContain('Wacht op bestand');
    expect(page.body).toContain('npm run round -- start waste-collection FILE.csv');
    expect(page.body).not.toContain('<progress');
    expect(page.body).not.toContain(META_REFRESH);
  });

  it('shows the file check as an indeterminate bar; updating by itself only when asked', async () => {
    const { get, put } = setup();
    const r = put({ status: 'VALIDATING' });
    const page = await get(`/rounds/${r.roundId}`);
    expect(page.body).toContain('<label for="round-progress">');
    expect(page.body).toMatch(
      /<progress id="round-progress" aria-describedby="round-progress-text"><\/progress>/,
    );
    expect(page.body).not.toContain(META_REFRESH);
    expect(page.body).toContain(`<a href="/console/rounds/${r.roundId}?auto=1">`);
    expect(page.body).not.toContain('<h2 id="counters">');
    const auto = await get(`/rounds/${r.roundId}`, { query: { auto: '1' } });
    const head = auto.body.slice(0, auto.body.indexOf('</head>'));
    expect(head).toContain(META_REFRESH);
    expect(auto.body).toContain(`<a href="/console/rounds/${r.roundId}">Automatisch bijwerken stoppen</a>`);
    // The policy forbids scripts; a meta refresh needs none.
    expect(auto.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('shows how many cases have started, as a bar and in words', async () => {
    const { get, put } = setup();
    const r = put({ status: 'STARTING', total: 10_010, validated: 10_000, invalid: 10, started: 4_200 });
    const nl = await get(`/rounds/${r.roundId}`, { query: { auto: '1' } });
    expect(nl.body).toContain('<progress id="round-progress" max="10000" value="4200"');
    expect(nl.body).toContain('<p id="round-progress-text">4.200 van 10.000 zaken gestart</p>');
    expect(nl.body).toContain(META_REFRESH);
    const en = await get(`/rounds/${r.roundId}`, { locale: 'en' });
    expect(en.body).toContain('4,200 of 10,000 cases started');
    expect(en.body).toContain('<th scope="row">Rows in the file</th><td class="cp-num">10,010</td>');
  });

  it('says why a round was rejected and what to do, with the first bad rows', async () => {
    const { get, put, rounds } = setup();
    const r = put({
      status: 'REJECTED',
      total: 300,
      validated: 150,
      invalid: 150,
      error: '150 rows are invalid and onInvalid is reject.',
    });
    await rounds.putRowErrors(
      r.roundId,
      Array.from({ length: 150 }, (_, i) => ({
        line: i + 2,
        column: 'phone',
        reason: 'not a Dutch mobile number',
      })),
    );
    await rounds.putRowErrors(r.roundId, [{ line: 999, column: '<b>', reason: '<script>x</script>' }]);
    const page = await get(`/rounds/${r.roundId}`);
    expect(page.body).toContain('De ronde is afgewezen; er is geen enkele zaak gestart.');
    expect(page.body).toContain('<p lang="en">150 rows are invalid and onInvalid is reject.</p>');
    expect(page.body).toContain('upload het opnieuw onder dezelfde naam en start de ronde opnieuw');
    // The command that restarts this very round: same name, same choice for bad rows.
    expect(page.body).toContain(
      '<code>npm run round -- start waste-collection FILE.csv --name &#39;Wijk Noord 2026&#39;</code>',
    );
    const rows = page.body.match(/<tr><td class="cp-num">\d+<\/td><td>phone<\/td>/g) ?? [];
    expect(rows).toHaveLength(100);
    expect(rounds.limits).toContain(100);
    expect(page.body).toContain('De eerste 100 van 150.');
    expect(page.body).toContain('<td><span lang="en">not a Dutch mobile number</span></td>');
    expect(page.body).not.toContain('<progress');
  });

  it('counts rows, not error entries, when saying how many rows are shown', async () => {
    const { get, put, rounds } = setup();
    const r = put({ status: 'REJECTED', invalid: 3 });
    await rounds.putRowErrors(r.roundId, [
      { line: 2, column: 'phone', reason: 'not a Dutch mobile number' },
      { line: 2, column: 'collectionDate', reason: 'Enter a real date as YYYY-MM-DD.' },
      { line: 5, column: 'reference', reason: 'duplicate of line 3' },
    ]);
    const page = await get(`/rounds/${r.roundId}`);
    // Three entries on two lines, of three invalid rows: two rows are shown, not "all three".
    expect(page.body.match(/<tr><td class="cp-num">\d+<\/td>/g)).toHaveLength(3);
    expect(page.body).toContain('De eerste 2 van 3.');
  });

  it('escapes names, columns and reasons', async () => {
    const { get, put, rounds } = setup();
    const r = put({ status: 'FAILED', name: "<img src=x> it's", onInvalid: 'skip', invalid: 1 });
    await rounds.putRowErrors(r.roundId, [{ line: 1, column: '<b>', reason: '<script>x</script>' }]);
    const page = await get(`/rounds/${r.roundId}`);
    expect(page.body).not.toContain('<img src=x>');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;b&gt;');
    expect(page.body).toContain('De ronde is gestopt voordat alle zaken gestart waren.');
    expect(page.body).toContain('Start de ronde opnieuw onder dezelfde naam');
    expect(page.body).toContain(
      `FILE.csv --name &#39;&lt;img src=x&gt; it&#39;\\&#39;&#39;s&#39; --skip-invalid</code>`,
    );
  });

  it('after the start, spreads the cases over the stages in order, and lists the failures', async () => {
    const { get, put, rounds } = setup();
    const r = put({
      status: 'STARTED',
      total: 12,
      validated: 12,
      started: 10,
      failed: 2,
      completed: 3,
      expired: 1,
      cancelled: 1,
    });
    rounds.spreads.set(r.roundId, {
      stages: { feedback: 2, round: 3 },
      statuses: { ACTIVE: 5, FAILED: 1, COMPLETED: 3, EXPIRED: 1, CANCELLED: 1 },
      counted: 11,
    });
    await rounds.putRowFailures(r.roundId, [
      { line: 4, reference: 'HH-4', reason: 'reference already used in this round with other data' },
    ]);
    const page = await get(`/rounds/${r.roundId}`, { query: { auto: '1' } });
    expect(page.body).not.toContain(META_REFRESH);
    expect(page.body).not.toContain('<progress');
    const spread = page.body.slice(page.body.indexOf('<h2 id="spread">'));
    const order = [
      'Aanbieden en ophalen',
      'Hoe ging het samen?',
      'Mislukt',
      'Afgerond',
      'Verlopen',
      'Gestopt',
    ];
    const at = order.map((label) => spread.indexOf(`<th scope="row">${label}</th>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(spread).toContain('<th scope="row">Aanbieden en ophalen</th><td class="cp-num">3</td>');
    expect(spread).toContain('<th scope="row">Hoe ging het samen?</th><td class="cp-num">2</td>');
    expect(spread).toContain('<th scope="row">Mislukt</th><td class="cp-num">1</td>');
    expect(spread).toContain('geteld over 11 zaken');
    // The tallest bar is full width; the others in proportion.
    expect(spread).toContain('cp-hbar-stage" style="width:100.0%"');
    expect(spread).toContain('cp-hbar-stage" style="width:66.7%"');
    expect(page.body).toContain('<th scope="row">Lopend</th><td class="cp-num">5</td>');
    expect(page.body).toContain('<td>HH-4</td>');
  });

  it("answers another organisation's round and an unknown one with the same 404", async () => {
    const { get, put } = setup();
    const r = put({ org: 'gm0999' });
    const other = await failure(get(`/rounds/${r.roundId}`));
    const missing = await failure(get(`/rounds/${id(77)}`));
    expect(other).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(other?.message).toBe(missing?.message);
  });

  it('counts a round case that staff stop in the console as cancelled on its round', async () => {
    const { deps, put, repo, rounds } = setup();
    const r = put({ status: 'STARTED', validated: 1, started: 1 });
    const caseId = 'e'.repeat(32);
    repo.cases.set(caseId, {
      caseId,
      serviceId: 'waste-collection',
      org: 'gm0363',
      status: 'ACTIVE',
      roundId: r.roundId,
      citizen: { locale: 'nl' },
      createdAt: NOW,
      updatedAt: NOW,
      requestHash: 'h',
      linkExpiresAt: '2026-06-01T00:00:00.000Z',
      ttl: 1_900_000_000,
    });
    const _csrf = csrfToken(deps.vault, session());
    const res = await consoleApp(
      deps,
      request(deps, { method: 'POST', rel: `/cases/${caseId}/cancel`, body: { _csrf, reason: 'Verhuisd' } }),
    );
    expect(res.statusCode).toBe(303);
    expect(rounds.rounds.get(r.roundId)?.cancelled).toBe(1);
  });
});
