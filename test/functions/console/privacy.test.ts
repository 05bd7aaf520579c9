import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import { csrfToken } from '../../../functions/console/session';
import { ERASE_CAUSE } from '../../../functions/privacy/erasure';
import type { AppError } from '../../../functions/shared/errors';
import type { fixedClock } from '../../support/fakes';
import { makeDeps, request, session } from './support';

// The console's part of the processing log (every page that shows a case's personal data logs the
// read), and "Gegevens verwijderen".

function setup() {
  const t = makeDeps();
  const csrf = csrfToken(t.vault, session());
  const post = (rel: string, body: Record<string, unknown>) =>
    consoleApp(t.deps, request(t.deps, { method: 'POST', rel, body }));
  const get = (rel: string, over = {}) => consoleApp(t.deps, request(t.deps, { rel, ...over }));
  const startCase = async (key: string, reference?: string) => {
    const res = await post('/services/waste-collection/cases', {
      _csrf: csrf,
      idempotencyKey: key,
      name: 'Piet Paulusma',
      phone: '0612345678',
      address: 'Dorpsstraat 1',
      collectionDate: '2026-03-10',
      ...(reference && { reference }),
    });
    return /\/console\/cases\/([0-9a-f]+)\?/.exec(res.headers.location ?? '')?.[1] as string;
  };
  return { ...t, csrf, post, get, startCase };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: AppError) => e,
  );

describe('console: processing log', () => {
  it('logs a read for the case page and one per listed case; the chart reads nobody', async () => {
    const { get, startCase, repo } = setup();
    const withRef = await startCase('key-privacy-000000001', 'HH-1');
    const withName = await startCase('key-privacy-000000002');
    repo.processing = [];
    const page = await get(`/cases/${withRef}`);
    expect(page.body).toContain('Piet Paulusma');
    expect(repo.processing.map((r) => [r.caseId, r.action, r.categories])).toEqual([
      [withRef, 'read', ['contact', 'reference', 'context']],
    ]);
    repo.processing = [];
    const list = await get('/services/waste-collection');
    expect(list.body).toContain('>HH-1</a>');
    expect(list.body).toContain('>Piet Paulusma</a>');
    expect(repo.processing.map((r) => [r.caseId, r.categories]).sort()).toEqual(
      [
        [withRef, ['reference']],
        [withName, ['contact']],
      ].sort(),
    );
    expect(new Set(repo.processing.map((r) => r.traceId)).size).toBe(1);
    repo.processing = [];
    await get('/services/waste-collection/chart');
    expect(repo.processing).toEqual([]);
  });

  it('shows staff the log with who and the trace, the sentence the citizen sees', async () => {
    const { get, startCase } = setup();
    const caseId = await startCase('key-privacy-000000003');
    await get(`/cases/${caseId}`);
    const page = await get(`/cases/${caseId}`);
    expect(page.body).toContain('<h2 id="processing">Verwerkingslog</h2>');
    expect(page.body).toMatch(
      /Gm0363 heeft uw contactgegevens en de gegevens voor deze dienst vastgelegd op \d+ maart 2026\./,
    );
    expect(page.body).toContain('<td>staff-1</td>');
    expect(page.body).not.toContain('id="processing-older"');
  });

  it('shows the newest 100 lines of a long log and says that the earlier ones are kept', async () => {
    const { get, startCase, repo } = setup();
    const caseId = await startCase('key-privacy-000000005');
    for (let i = 0; i < 120; i++) await get(`/cases/${caseId}`);
    expect(repo.processing.filter((r) => r.caseId === caseId).length).toBeGreaterThan(120);
    const page = await get(`/cases/${caseId}`);
    const log = page.body.slice(page.body.indexOf('id="processing"'), page.body.indexOf('id="erase"'));
    expect(log.match(/<tr><td>/g)).toHaveLength(100);
    expect(log).toContain(
      `<p id="processing-older">Hier staan de 100 laatste regels; de eerdere zijn bewaard. <a href="/console/cases/${caseId}/processing">Alle regels bekijken</a></p>`,
    );
  });
});

describe('console: the whole processing log', () => {
  /** The log lines of a log page (its staff column), and its older page's cursor. */
  const linesOf = (body: string) => ({
    by: [...body.matchAll(/<td>(staff-[^<]+)<\/td>/g)].map((m) => m[1]),
    older: /href="[^"]+\/processing\?cursor=([^"]+)" rel="next">Oudere regels</.exec(body)?.[1],
  });

  it('pages through every line, newest first, and is itself no read of the case', async () => {
    const { get, startCase, repo, deps } = setup();
    const caseId = await startCase('key-privacy-000000006');
    // A second apart, as reads are: the log orders by time (lines of one instant by their random span).
    const clock = deps.clock as ReturnType<typeof fixedClock>;
    const start = clock.now().getTime();
    for (let i = 0; i < 130; i++) {
      clock.set(new Date(start + (i + 1) * 1000).toISOString());
      await get(`/cases/${caseId}`, { session: session({ sub: `staff-${i}` }) });
    }
    const written = repo.processing.filter((r) => r.caseId === caseId).length;
    expect(written).toBe(131);

    const first = await get(`/cases/${caseId}/processing`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<h1>Verwerkingslog</h1>');
    expect(first.body).toContain(`<a href="/console/cases/${caseId}">Terug naar de zaak</a>`);
    expect(first.body).not.toContain('Nieuwste regels');
    const top = linesOf(first.body);
    expect(top.by).toEqual(Array.from({ length: 100 }, (_, i) => `staff-${129 - i}`));
    expect(top.older).toBeDefined();

    const second = await get(`/cases/${caseId}/processing`, { query: { cursor: top.older } });
    const rest = linesOf(second.body);
    // The 30 oldest reads, then the creation (by staff-1, the session that started the case).
    expect(rest.by).toEqual([...Array.from({ length: 30 }, (_, i) => `staff-${29 - i}`), 'staff-1']);
    expect(rest.older).toBeUndefined();
    expect(second.body).toContain(`<a href="/console/cases/${caseId}/processing">Nieuwste regels</a>`);
    expect(second.body).toMatch(
      /Gm0363 heeft uw contactgegevens en de gegevens voor deze dienst vastgelegd op/,
    );
    expect(repo.processing.filter((r) => r.caseId === caseId).length).toBe(written);
  });

  it('refuses a cursor it did not give for this case, and another organisation’s case', async () => {
    const { get, startCase } = setup();
    const caseId = await startCase('key-privacy-000000007');
    const other = await startCase('key-privacy-000000008');
    for (let i = 0; i < 101; i++) await get(`/cases/${other}`);
    const cursor = linesOf((await get(`/cases/${other}/processing`)).body).older;
    expect(cursor).toBeDefined();
    expect(
      await failure(get(`/cases/${caseId}/processing`, { query: { cursor: cursor as string } })),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await failure(get(`/cases/${caseId}/processing`, { query: { cursor: 'eyJzayI6IkxPRyMifQ.xxxx' } })),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    const elsewhere = session({ org: 'gm0344' });
    expect(await failure(get(`/cases/${caseId}/processing`, { session: elsewhere }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('console: erasure', () => {
  it('erases with a reason: the case stops, shows "gegevens verwijderd" and none of its data', async () => {
    const { post, get, csrf, startCase, engine, repo } = setup();
    const caseId = await startCase('key-privacy-000000004', 'HH-9');
    const form = await get(`/cases/${caseId}`);
    expect(form.body).toContain(`action="/console/cases/${caseId}/erase"`);
    const blank = await post(`/cases/${caseId}/erase`, { _csrf: csrf, reason: ' ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Geef in één regel een reden op voor het wissen. Er is niets gewist.');
    expect(await failure(post(`/cases/${caseId}/erase`, { reason: 'x' }))).toMatchObject({ code: 'CSRF' });
    const res = await post(`/cases/${caseId}/erase`, { _csrf: csrf, reason: 'Verzoek burger' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/cases/${caseId}?notice=erased`);
    expect(engine.stopped).toEqual([
      { serviceId: 'waste-collection', execution: caseId, reason: ERASE_CAUSE },
    ]);
    const page = await get(`/cases/${caseId}`, { query: { notice: 'erased' } });
    expect(page.body).toContain('De persoonsgegevens van de zaak zijn verwijderd.');
    expect(page.body).toMatch(/Gegevens verwijderd op [^<]+ door staff-1\./);
    for (const gone of ['Piet', 'HH-9', 'Dorpsstraat', `action="/console/cases/${caseId}/erase"`])
      expect(page.body).not.toContain(gone);
    expect(repo.processing.filter((r) => r.action === 'erase')).toHaveLength(1);
    const en = await get(`/cases/${caseId}`, { locale: 'en' });
    expect(en.body).toMatch(/Data erased on [^<]+ by staff-1\./);
  });
});
