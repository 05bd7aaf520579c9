import { describe, expect, it } from 'vitest';
import { consoleApp } from '../../../functions/console/app';
import { csrfToken } from '../../../functions/console/session';
import { caseCipher } from '../../../functions/domain/case-keys';
import { makeDeps, NOW, request, session } from './support';

// The console says who answered a citizen step when the citizen's helper did (delegation/), in the
// step and in the history, by name ("ingevuld door Anna namens de burger"), in Dutch and English.

describe('console: a step answered by the citizen’s helper', () => {
  it('names the helper on the step and in the history', async () => {
    const t = makeDeps();
    const csrf = csrfToken(t.vault, session());
    const res = await consoleApp(
      t.deps,
      request(t.deps, {
        method: 'POST',
        rel: '/services/waste-collection/cases',
        body: {
          _csrf: csrf,
          idempotencyKey: 'key-0123456789abcdef',
          name: 'Piet',
          locale: 'nl',
          handover: 'in-person',
          address: 'Dorpsstraat 1, Utrecht',
          collectionDate: '2026-03-10',
        },
      }),
    );
    const caseId = /\/console\/cases\/([0-9a-f]+)\?/.exec(res.headers.location ?? '')?.[1] as string;
    const record = t.repo.cases.get(caseId);
    if (!record) throw new Error('no case');
    const cipher = caseCipher(t.vault, record);
    t.repo.delegates.push({
      caseId,
      delegateId: 'helper-1',
      nameEnc: cipher.seal('Anna de Vries'),
      steps: ['present'],
      createdAt: NOW,
      expiresAt: record.linkExpiresAt,
    });
    t.repo.steps.set(`${caseId}#present`, {
      caseId,
      stepId: 'present',
      actor: 'citizen',
      status: 'DONE',
      visit: 1,
      openedAt: NOW,
      dueAt: NOW,
      expiresAt: NOW,
      reminders: 0,
      escalated: false,
      dataEnc: cipher.sealJson({ presented: true }),
      submittedAt: NOW,
      channel: 'web',
      delegateId: 'helper-1',
    });
    t.repo.events.push({
      caseId,
      at: NOW,
      type: 'STEP_SUBMITTED',
      actor: 'citizen',
      stepId: 'present',
      channel: 'web',
      detail: { visit: 1, delegateId: 'helper-1' },
    });
    const page = await consoleApp(t.deps, request(t.deps, { rel: `/cases/${caseId}` }));
    expect(page.body).toContain('ingevuld door Anna de Vries namens de burger');
    expect(page.body).toContain('ingevuld door Anna de Vries namens de burger via de burgerpagina');
    const en = await consoleApp(t.deps, request(t.deps, { rel: `/cases/${caseId}`, locale: 'en' }));
    expect(en.body).toContain('filled in by Anna de Vries on behalf of the citizen');
  });
});
