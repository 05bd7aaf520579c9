/**
 * What a driven case's log shows about its answers: each counted exactly once, whatever the runtime
 * failed on the way (see drive.ts).
 */
import { expect } from 'vitest';
import type { Outcome } from './drive';
import type { Loose } from './harness';

export interface Findings {
  /** Answers whose step opening is not in the case's log. */
  unlogged: string[];
  /** Step openings logged more than once for one visit. */
  doubleOpened: string[];
}

/**
 * Every step done, every answer (step and visit) counted exactly once, every logged opening answered.
 * What the log shows besides (findings for the product, not what this test is about) is returned.
 */
export function answeredOnce(outcome: Outcome, findings: Findings): void {
  const events = outcome.view.events as Loose[];
  const key = (e: Loose) => `${e.stepId}#${e.detail?.visit ?? 1}`;
  const count = (type: string) =>
    events
      .filter((e) => e.type === type)
      .reduce((m, e) => m.set(key(e), (m.get(key(e)) ?? 0) + 1), new Map<string, number>());
  const opened = count('STEP_OPENED');
  const submitted = count('STEP_SUBMITTED');
  const context = `${outcome.caseId}: ${JSON.stringify(events.map((e) => [e.type, e.stepId, e.detail]))}`;
  expect(
    [...submitted.values()].every((n) => n === 1),
    `each answer counted once, ${context}`,
  ).toBe(true);
  expect(
    [...opened.keys()].every((k) => submitted.has(k)),
    `each opening answered, ${context}`,
  ).toBe(true);
  expect((outcome.view.steps as Loose[]).every((s) => s.status === 'DONE')).toBe(true);
  // An answer that came in while open-step was retried is handed to the retry's token, counted once,
  // but that retry logs no opening; a retry after the opening was logged logs it again.
  findings.unlogged.push(
    ...[...submitted.keys()].filter((k) => !opened.has(k)).map((k) => `${outcome.caseId} ${k}`),
  );
  findings.doubleOpened.push(...[...opened].filter(([, n]) => n > 1).map(([k]) => `${outcome.caseId} ${k}`));
}
