import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import { csrfToken } from '../../../functions/console/session';
import { makeDeps, NOW, request, session } from './support';

// "Heropenen" in the console: offered on a completed case inside its service's window (waste
// collection: 14 days), like the cancel form; the history then shows who reopened it and why.

const DAY_MS = 86_400_000;
const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * DAY_MS).toISOString();

async function completedCase(completedAt: string) {
  const t = makeDeps();
  const csrf = csrfToken(t.vault, session());
  const post = (rel: string, body: Record<string, unknown>) =>
    consoleApp(t.deps, request(t.deps, { method: 'POST', rel, body }));
  const get = (rel: string) => consoleApp(t.deps, request(t.deps, { rel }));
  const res = await post('/services/waste-collection/cases', {
    _csrf: csrf,
    idempotencyKey: 'key-0123456789abcdef',
    name: 'Piet',
    locale: 'nl',
    handover: 'in-person',
    address: 'Dorpsstraat 1, Utrecht',
    collectionDate: '2026-03-10',
  });
  const caseId = /\/console\/cases\/([0-9a-f]+)\?/.exec(res.headers.location ?? '')?.[1] as string;
  const record = t.repo.cases.get(caseId);
  if (!record) throw new Error('no case');
  Object.assign(record, { status: 'COMPLETED', updatedAt: completedAt });
  return { ...t, csrf, post, get, caseId };
}

describe('console: reopening a completed case', () => {
  it('offers the form inside the window, reopens with a reason, and the history shows it', async () => {
    const { get, post, csrf, caseId, repo, engine } = await completedCase(daysBefore(2));
    const page = await get(`/cases/${caseId}`);
    expect(page.body).toContain(`action="/console/cases/${caseId}/reopen"`);
    const res = await post(`/cases/${caseId}/reopen`, { _csrf: csrf, reason: 'Container overgeslagen' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/cases/${caseId}?notice=reopened`);
    expect(repo.cases.get(caseId)?.status).toBe('ACTIVE');
    expect(engine.resumed).toEqual([expect.objectContaining({ execution: `${caseId}-2` })]);
    expect(repo.processing.some((r) => r.action === 'update')).toBe(true);
    const after = await get(`/cases/${caseId}`);
    expect(after.body).toMatch(/Zaak heropend door \S+.*: Container overgeslagen/);
    expect(after.body).not.toContain(`/cases/${caseId}/reopen"`);
  });

  it('offers no form after the window, and refuses the post with 409', async () => {
    const { get, post, csrf, caseId, repo } = await completedCase(daysBefore(15));
    expect((await get(`/cases/${caseId}`)).body).not.toContain(`/cases/${caseId}/reopen"`);
    const refused = await post(`/cases/${caseId}/reopen`, { _csrf: csrf, reason: 'Te laat' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('te lang geleden afgerond');
    expect(refused.body).toContain('<p>Uw reden: Te laat</p>');
    expect(repo.cases.get(caseId)?.status).toBe('COMPLETED');
  });

  it('tells the second of two tabs that a colleague reopened the case just now, its reason kept', async () => {
    const { post, csrf, caseId, engine } = await completedCase(daysBefore(2));
    const first = await post(`/cases/${caseId}/reopen`, { _csrf: csrf, reason: 'Container overgeslagen' });
    expect(first.statusCode).toBe(303);
    const second = await post(`/cases/${caseId}/reopen`, { _csrf: csrf, reason: 'Bak niet geleegd' });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('een collega heeft hem net heropend');
    expect(second.body).not.toContain('Alleen een afgeronde zaak');
    expect(second.body).toContain('<p>Uw reden: Bak niet geleegd</p>');
    expect(engine.resumed).toHaveLength(1);
  });
});
