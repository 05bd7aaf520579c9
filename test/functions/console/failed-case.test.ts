import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import { csrfToken } from '../../../functions/console/session';
import { CANCEL_CAUSE } from '../../../functions/domain/case-cancel';
import { markCaseFailed } from '../../../functions/domain/case-failure';
import { ConflictError } from '../../../functions/shared/errors';
import { failure } from '../../support/fakes';
import { makeDeps, request, session } from './support';

// A FAILED case in the console, in both languages: what went wrong and when, "Try again" (the same
// domain call as POST /cases/{caseId}/redrive), the list filter, and the history of it all.

async function setup() {
  const t = makeDeps();
  const csrf = csrfToken(t.vault, session());
  const post = (rel: string, body: Record<string, unknown>, over = {}) =>
    consoleApp(t.deps, request(t.deps, { method: 'POST', rel, body, ...over }));
  const get = (rel: string, over = {}) => consoleApp(t.deps, request(t.deps, { rel, ...over }));
  const started = await post('/services/waste-collection/cases', {
    _csrf: csrf,
    idempotencyKey: 'key-0123456789abcdef',
    name: 'Piet',
    phone: '0612345678',
    locale: 'nl',
    address: 'Dorpsstraat 1, Utrecht',
    collectionDate: '2026-03-10',
  });
  const caseId = /\/console\/cases\/([0-9a-f]+)\?/.exec(started.headers.location ?? '')?.[1] as string;
  await markCaseFailed(
    { repo: t.repo, executions: { describeFailure: async () => ({ redriveCount: 0 }) } },
    {
      caseId,
      execution: caseId,
      executionArn: `arn:aws:states:eu-west-1:000000000000:execution:m:${caseId}`,
      status: 'FAILED',
      error: 'Lambda.TooManyRequestsException',
      cause: '{"errorMessage":"Rate Exceeded."}',
      stoppedAt: '2026-03-02T08:15:00.000Z',
      redriveCount: 0,
    },
  );
  return { ...t, csrf, post, get, caseId };
}

describe('a FAILED case in the console', () => {
  it('says what went wrong and when, with a button to try again (nl)', async () => {
    const { get, caseId, csrf } = await setup();
    const page = await get(`/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="failure">Er ging iets mis bij de verwerking</h2>');
    expect(page.body).toContain(
      'De zaak staat stil sinds 2 maart 2026 om 09:15. De fout: <strong>Lambda.TooManyRequestsException</strong>',
    );
    expect(page.body).toContain('<summary>Technische details</summary>');
    expect(page.body).toContain('{&quot;errorMessage&quot;:&quot;Rate Exceeded.&quot;}');
    expect(page.body).toContain(
      `<form method="post" action="/console/cases/${caseId}/redrive"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="utrecht-button utrecht-button--primary-action">Opnieuw proberen</button></form>`,
    );
    expect(page.body).toContain('<dd>Mislukt</dd>');
    // Staff may also give up on it.
    expect(page.body).toContain(`/cases/${caseId}/cancel"`);
    expect(page.body).toContain('Verwerking mislukt; de zaak staat stil: Lambda.TooManyRequestsException');
  });

  it('says the same in English', async () => {
    const { get, caseId } = await setup();
    const page = await get(`/cases/${caseId}`, { locale: 'en' });
    expect(page.body).toContain('<h2 id="failure">Something went wrong while processing this case</h2>');
    expect(page.body).toContain('The case has been on hold since 2 March 2026 at 09:15. The error:');
    expect(page.body).toContain('>Try again</button>');
    expect(page.body).toContain('<dd>Failed</dd>');
  });

  it('tries again through the domain: the case runs again and the history says so', async () => {
    const { post, get, caseId, csrf, engine, repo } = await setup();
    const res = await post(`/cases/${caseId}/redrive`, { _csrf: csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/cases/${caseId}?notice=redriven`);
    expect(engine.redriven).toEqual([{ serviceId: 'waste-collection', execution: caseId }]);
    expect(repo.cases.get(caseId)?.status).toBe('ACTIVE');
    const page = await get(`/cases/${caseId}`, { query: { notice: 'redriven' } });
    expect(page.body).toContain('De zaak loopt weer, vanaf de stap die misging.');
    expect(page.body).not.toContain('id="failure"');
    expect(page.body).toContain('Opnieuw geprobeerd door Gm0363; de zaak loopt weer');
    // A second press (or a second tab) finds it running: told on the page, with focus on why, nothing
    // redriven twice.
    const again = await post(`/cases/${caseId}/redrive`, { _csrf: csrf });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(
      '<div class="notice alert" role="alert" tabindex="-1" autofocus><p>Deze zaak is al hervat.</p></div>',
    );
    expect(engine.redriven).toHaveLength(1);
  });

  it('needs the form to come from the console (CSRF)', async () => {
    const { post, caseId, engine } = await setup();
    expect((await failure(post(`/cases/${caseId}/redrive`, {}))).code).toBe('CSRF');
    expect(engine.redriven).toEqual([]);
  });

  it('shows a refused redrive on the case page, in the staff’s language, and the case stays FAILED', async () => {
    const { post, caseId, csrf, engine, repo } = await setup();
    engine.redriveError = new ConflictError('NOT_REDRIVABLE', 'x', { reason: 'ExecutionNotRedrivable' });
    const nl = await post(`/cases/${caseId}/redrive`, { _csrf: csrf });
    expect(nl.statusCode).toBe(409);
    expect(nl.body).toContain('Deze zaak kan niet meer worden hervat');
    expect(repo.cases.get(caseId)?.status).toBe('FAILED');
    engine.redriveError = new ConflictError('NOT_REDRIVABLE', 'x', { reason: 'ExecutionLimitExceeded' });
    const en = await post(`/cases/${caseId}/redrive`, { _csrf: csrf }, { locale: 'en' });
    expect(en.body).toContain('Too many cases are running right now. Try again in a few minutes.');
    expect(en.body).toContain('>Try again</button>');
  });

  it('lists can be filtered on FAILED, in both languages', async () => {
    const { get, caseId } = await setup();
    const list = await get('/services/waste-collection', { query: { status: 'FAILED' } });
    expect(list.body).toContain('<option value="FAILED" selected>Mislukt</option>');
    expect(list.body).toContain(`/cases/${caseId}"`);
    const active = await get('/services/waste-collection', { query: { status: 'ACTIVE' } });
    expect(active.body).not.toContain(`/cases/${caseId}"`);
    const en = await get('/services/waste-collection', { locale: 'en' });
    expect(en.body).toContain('<option value="FAILED">Failed</option>');
  });

  it('cancels a FAILED case: it stops for good and loses its failure', async () => {
    const { post, caseId, csrf, repo, engine } = await setup();
    const res = await post(`/cases/${caseId}/cancel`, { _csrf: csrf, reason: 'Opgegeven' });
    expect(res.statusCode).toBe(303);
    expect(repo.cases.get(caseId)?.status).toBe('CANCELLED');
    expect(repo.cases.get(caseId)?.cancelReasonEnc).toEqual(expect.any(String));
    expect(repo.cases.get(caseId)?.failure).toBeUndefined();
    expect(engine.stopped).toEqual([
      { serviceId: 'waste-collection', execution: caseId, reason: CANCEL_CAUSE },
    ]);
  });

  it('shows where a case continued in its history', async () => {
    const { get, caseId, repo } = await setup();
    await repo.appendEvent({
      caseId,
      at: '2026-03-02T08:30:00.000Z',
      type: 'CASE_CONTINUED',
      actor: 'system',
      detail: { from: caseId, to: `${caseId}-2`, stageId: 'round' },
    });
    const page = await get(`/cases/${caseId}`);
    expect(page.body).toContain(
      `Zaak loopt verder in een nieuwe uitvoering, bij fase ‘Aanbieden en ophalen’: ${caseId} → ${caseId}-2`,
    );
  });
});
