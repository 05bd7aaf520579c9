import { describe, expect, it } from 'vitest';
import { historyLine, historyNames } from '../../../functions/console/history-text';
import { HISTORY_WORDS, type HistoryEvent } from '../../../functions/console/history-words';
import { CASE_EVENT_TYPES, type CaseEventType, type Locale } from '../../../functions/domain/model';
import { findService } from '../../../workflows/catalog';

// Every event type the code can write has words in both languages: the list comes from the model, so a
// type added there without words fails here (and in the typecheck).

const service = findService('waste-collection');
if (!service) throw new Error('waste-collection is missing from the catalogue');
const names = (locale: Locale) => historyNames(service, 'gemeente-utrecht', locale);
const at = '2026-03-02T09:00:00.000Z';

/** An event of each type as the code writes it: the fields and details its writer sets. */
const SAMPLE: Record<CaseEventType, Omit<HistoryEvent, 'at' | 'type'>> = {
  CASE_CREATED: { actor: 'provider' },
  STAGE_ENTERED: { actor: 'system', detail: { stageId: 'round', visit: 1 } },
  STEP_OPENED: { actor: 'system', stepId: 'present', detail: { visit: 1, actor: 'citizen', dueAt: at } },
  STEP_REMINDED: { actor: 'system', stepId: 'present', detail: { visit: 1, actor: 'citizen', dueAt: at } },
  STEP_ESCALATED: { actor: 'system', stepId: 'collect', detail: { visit: 1, actor: 'provider', dueAt: at } },
  STEP_SUBMITTED: { actor: 'citizen', stepId: 'present', channel: 'sms', detail: { visit: 1 } },
  SUBMISSION_REFUSED: {
    actor: 'citizen',
    stepId: 'present',
    channel: 'sms',
    detail: { reason: 'UNCLEAR_ANSWER' },
  },
  CASE_CANCELLED: { actor: 'provider', detail: { reason: 'Verhuisd', by: 'staff-1' } },
  CASE_FAILED: { actor: 'system', detail: { error: 'States.TaskFailed', execution: 'x' } },
  CASE_REDRIVEN: { actor: 'provider', detail: { by: 'staff-1', execution: 'x' } },
  CASE_CONTINUED: { actor: 'system', detail: { from: 'x', to: 'x-2', stageId: 'round' } },
  CASE_REOPENED: {
    actor: 'citizen',
    detail: { by: 'citizen', stageId: 'round', reason: 'Bak niet geleegd' },
  },
  PROPOSAL_MADE: {
    actor: 'citizen',
    stepId: 'collect',
    detail: { proposalId: 'collect-0123456789', dueAt: '2026-12-05', reason: 'Dan ben ik thuis', visit: 1 },
  },
  PROPOSAL_ACCEPTED: {
    actor: 'provider',
    stepId: 'collect',
    channel: 'web',
    detail: { proposalId: 'collect-0123456789', dueAt: '2026-12-05' },
  },
  PROPOSAL_DECLINED: {
    actor: 'citizen',
    stepId: 'present',
    channel: 'sms',
    detail: { proposalId: 'present-0123456789', dueAt: '2026-12-05', note: 'Liever niet' },
  },
  PROPOSAL_EXPIRED: {
    actor: 'system',
    stepId: 'present',
    detail: { proposalId: 'present-0123456789', dueAt: '2026-12-05' },
  },
  STEP_RETIMED: {
    actor: 'system',
    stepId: 'collect',
    detail: { from: at, to: '2026-03-05T09:00:00.000Z', shiftSeconds: 259_200, visit: 1 },
  },
  CASE_ERASED: { actor: 'provider', detail: { by: 'staff-1' } },
  DATA_EXPORTED: { actor: 'citizen' },
  SMS_SENT: { actor: 'system', stepId: 'present', channel: 'sms', detail: { message: 'reminder' } },
  SMS_SUPPRESSED: {
    actor: 'system',
    stepId: 'present',
    channel: 'sms',
    detail: { message: 'invitation', reason: 'opted-out' },
  },
  SMS_FAILED: {
    actor: 'system',
    stepId: 'present',
    channel: 'sms',
    detail: { message: 'invitation', reason: 'failed', error: 'Throttled' },
  },
  DELEGATE_ADDED: {
    actor: 'citizen',
    detail: { delegateId: 'd-1', steps: ['present'], expiresAt: at, delegate: 'Anna' },
  },
  DELEGATE_REVOKED: { actor: 'citizen', detail: { delegateId: 'd-1', delegate: 'Anna' } },
};

const line = (type: CaseEventType, locale: Locale) =>
  historyLine({ at, type, ...SAMPLE[type] }, names(locale));

describe('the case history in words', () => {
  it('has words for exactly the event types the model knows', () => {
    for (const locale of ['nl', 'en'] as const)
      expect(Object.keys(HISTORY_WORDS[locale].events).sort()).toEqual([...CASE_EVENT_TYPES].sort());
  });

  it.each([...CASE_EVENT_TYPES])('writes %s in Dutch and English, without codes or ids', (type) => {
    const nl = line(type, 'nl');
    const en = line(type, 'en');
    expect(nl).not.toBe(en);
    for (const sentence of [nl, en]) {
      expect(sentence).not.toMatch(/[A-Z]{2,}_[A-Z]/);
      expect(sentence).not.toMatch(/\b(gemeente-utrecht|present|collect|round|provider|system)\b/);
      expect(sentence.length).toBeGreaterThan(10);
    }
  });

  it('names the organisation, the step and its party, and the channel', () => {
    expect(line('CASE_CREATED', 'nl')).toBe('Zaak gestart door Gemeente Utrecht');
    expect(line('CASE_CREATED', 'en')).toBe('Case started by Gemeente Utrecht');
    expect(line('STEP_OPENED', 'nl')).toBe(
      'Stap ‘Afval aangeboden?’ geopend voor de burger, uiterlijk 2 maart 2026 om 10:00',
    );
    expect(line('STEP_ESCALATED', 'en')).toBe('Step ‘Collect the waste’ is overdue: its due date has passed');
    expect(line('STEP_SUBMITTED', 'nl')).toBe('Stap ‘Afval aangeboden?’ ingevuld door de burger per SMS');
    expect(line('SMS_SENT', 'nl')).toBe('Herinnering per SMS verstuurd');
    expect(line('STAGE_ENTERED', 'en')).toBe('Stage ‘Presenting and collecting’ started');
  });

  it('tells who asked for which day, and who agreed', () => {
    expect(line('PROPOSAL_MADE', 'nl')).toBe(
      'De burger vroeg om 5 december 2026 voor stap ‘Afval ophalen’: Dan ben ik thuis',
    );
    expect(line('PROPOSAL_ACCEPTED', 'nl')).toBe(
      'Gemeente Utrecht ging akkoord met 5 december 2026 voor stap ‘Afval ophalen’',
    );
    expect(line('PROPOSAL_DECLINED', 'en')).toBe(
      'The citizen did not agree to 5 December 2026 for step ‘Waste put out?’',
    );
  });

  it('follows with the detail worth a glance, in words where the code has some', () => {
    expect(line('CASE_CANCELLED', 'nl')).toBe('Zaak gestopt door Gemeente Utrecht: Verhuisd');
    expect(line('SMS_SUPPRESSED', 'nl')).toBe(
      'Uitnodiging niet per SMS verstuurd: de burger heeft zich afgemeld voor SMS',
    );
    expect(line('SMS_FAILED', 'en')).toBe('Invitation could not be sent by SMS: Throttled');
    expect(line('SUBMISSION_REFUSED', 'en')).toBe(
      'Answer from the citizen by SMS to step ‘Waste put out?’ not accepted: the answer could not be understood',
    );
  });

  it('says a provider step is the organisation’s, and a staff answer came in through the console', () => {
    const opened = {
      at,
      type: 'STEP_OPENED',
      actor: 'system',
      stepId: 'collect',
      detail: { actor: 'provider' },
    };
    expect(historyLine(opened as HistoryEvent, names('nl'))).toBe(
      'Stap ‘Afval ophalen’ geopend voor Gemeente Utrecht',
    );
    const done = {
      at,
      type: 'STEP_SUBMITTED',
      actor: 'provider',
      stepId: 'collect',
      channel: 'web',
    } as const;
    expect(historyLine(done, names('en'))).toBe(
      'Step ‘Collect the waste’ completed by Gemeente Utrecht in the console',
    );
  });

  it('shows a stage entered again, not a later stage entered first, and an event type from older data as its code', () => {
    // The visit counts the entries of every stage: the second stage's first entry is visit 2.
    const later = (minute: number, stageId: string, visit: number) =>
      ({
        at: `2026-03-02T09:0${minute}:00.000Z`,
        type: 'STAGE_ENTERED',
        detail: { stageId, visit },
      }) as const;
    const events = [later(0, 'round', 1), later(1, 'feedback', 2), later(2, 'round', 3)];
    const withHistory = historyNames(service, 'gemeente-utrecht', 'nl', events);
    expect(events.map((event) => historyLine(event, withHistory))).toEqual([
      'Fase ‘Aanbieden en ophalen’ begonnen',
      'Fase ‘Hoe ging het samen?’ begonnen',
      'Fase ‘Aanbieden en ophalen’ opnieuw begonnen',
    ]);
    const old = { at, type: 'STEP_SKIPPED' } as unknown as HistoryEvent;
    expect(historyLine(old, names('en'))).toBe('STEP_SKIPPED');
  });

  it('says who answered for the citizen, and when a helper was added or withdrawn', () => {
    const done = {
      at,
      type: 'STEP_SUBMITTED',
      actor: 'citizen',
      stepId: 'present',
      channel: 'web',
      detail: { visit: 1, delegateId: 'd-1', delegate: 'Anna' },
    } as const;
    expect(historyLine(done, names('nl'))).toBe(
      'Stap ‘Afval aangeboden?’ ingevuld door Anna namens de burger via de burgerpagina',
    );
    expect(historyLine(done, names('en'))).toBe(
      'Step ‘Waste put out?’ completed by Anna on behalf of the citizen on the citizen page',
    );
    expect(line('DELEGATE_ADDED', 'nl')).toBe('De burger heeft Anna gevraagd te helpen, met een eigen link');
    expect(line('DELEGATE_REVOKED', 'en')).toBe('The citizen withdrew the link of Anna');
    const erased = { at, type: 'DELEGATE_REVOKED', actor: 'citizen', detail: { delegateId: 'd-1' } } as const;
    expect(historyLine(erased, names('nl'))).toBe('De burger heeft de link van een helper ingetrokken');
  });
});
