/**
 * Drives a case to its end over HTTP the way its partners would, on a runtime that may fail
 * (LOCAL_FAULTS): staff answer their steps through the API, the citizen by SMS (with the step's code
 * from the invitation) or through the citizen page, and staff redrive a case that ended FAILED.
 * Like any client of an API on AWS, every call is retried on a 5xx answer (API Gateway's answer to a
 * throttled or failed invocation); a retried submission that finds its step already done is fine.
 */
import { services } from '../../workflows/catalog';
import { answers } from './forms';
import type { LocalSystem, Loose } from './harness';

export interface DrivenCase {
  caseId: string;
  serviceId: string;
  phone: string;
  /** Answers citizen steps that take SMS by SMS (else through the citizen page). */
  bySms: boolean;
  /** The citizen link, when the test has it (POST /cases gives it); else it comes from the SMS. */
  linkToken?: string;
}

export interface Outcome {
  caseId: string;
  redrives: number;
  view: Loose;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A call, again after a 5xx or a refused connection, up to `tries` times. */
export async function retrying<T extends { status: number }>(call: () => Promise<T>, tries = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await call();
    if (res.status < 500 || attempt >= tries) return res;
    await sleep(50 * attempt);
  }
}

const SMS_STEPS = new Set(
  services.flatMap((s) =>
    s.stages.flatMap((stage) => stage.steps.filter((st) => st.sms).map((st) => `${s.id}/${st.id}`)),
  ),
);

/** The step code and link of the newest invitation (or reminder) the phone got. */
async function invitation(sys: LocalSystem, phone: string): Promise<{ code?: string; link?: string }> {
  const mine = (await sys.outbox()).filter((m) => m.to === phone);
  for (const m of mine.reverse()) {
    const code = /(?:Antwoord|Reply) (\S+) (?:JA|YES)/.exec(m.body)?.[1];
    const link = /\/c\/([A-Za-z0-9_-]+)/.exec(m.body)?.[1];
    if (code || link) return { ...(code ? { code } : {}), ...(link ? { link } : {}) };
  }
  return {};
}

/** Answers a citizen step; false when the citizen has no way to yet (no invitation came through). */
async function answerCitizen(sys: LocalSystem, c: DrivenCase, stepId: string): Promise<boolean> {
  const sms = await invitation(sys, c.phone);
  if (c.bySms && SMS_STEPS.has(`${c.serviceId}/${stepId}`) && sms.code) {
    await retrying(() =>
      sys.request('POST', '/local/sms', { json: { from: c.phone, body: `${sms.code} JA` } }),
    );
    return true;
  }
  const link = c.linkToken ?? sms.link;
  if (!link) return false;
  const page = await retrying(() => sys.request('GET', `/c/${link}`));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) return true; // answered meanwhile
  await retrying(() =>
    sys.request('POST', `/c/${link}/steps/${stepId}`, {
      form: { _csrf: csrf, ...answers(c.serviceId, stepId) },
    }),
  );
  return true;
}

/** How far the clock goes on when a citizen could not be reached: past the first reminder, which sends again. */
const REMINDER_SECONDS = 21 * 3600;

/**
 * Answers every open step until the case is COMPLETED, redriving it when it is FAILED. Throws when the
 * case is ACTIVE with no open step for 30 s (a case left stuck), or the whole drive takes too long.
 */
export async function driveToEnd(
  sys: LocalSystem,
  staff: string,
  c: DrivenCase,
  ms = 240_000,
): Promise<Outcome> {
  const end = Date.now() + ms;
  let redrives = 0;
  let idleSince: number | undefined;
  let unreachableSince: number | undefined;
  for (;;) {
    const res = await retrying(() => sys.request('GET', `/cases/${c.caseId}`, { token: staff }));
    if (res.status !== 200) throw new Error(`GET /cases/${c.caseId}: ${res.status} ${res.text}`);
    const view = res.json as Loose;
    if (view.status === 'COMPLETED') return { caseId: c.caseId, redrives, view };
    if (Date.now() > end) throw new Error(`case ${c.caseId} not completed in time: ${JSON.stringify(view)}`);
    if (view.status === 'FAILED') {
      const redrive = await retrying(() =>
        sys.request('POST', `/cases/${c.caseId}/redrive`, { token: staff }),
      );
      if (redrive.status === 200) redrives++;
      else if (redrive.status !== 409)
        throw new Error(`redrive ${c.caseId}: ${redrive.status} ${redrive.text}`);
      await sleep(100);
      continue;
    }
    if (view.status !== 'ACTIVE')
      throw new Error(`case ${c.caseId} ended ${view.status}: ${JSON.stringify(view)}`);
    const open = (view.steps as Loose[]).filter((s) => s.status === 'OPEN');
    if (open.length === 0) {
      idleSince ??= Date.now();
      if (Date.now() - idleSince > 30_000)
        throw new Error(`case ${c.caseId} is ACTIVE with nothing open: ${JSON.stringify(view)}`);
      await sleep(100);
      continue;
    }
    idleSince = undefined;
    for (const s of open) {
      if (s.actor === 'provider') {
        await retrying(() =>
          sys.request('POST', `/cases/${c.caseId}/steps/${s.stepId}`, {
            token: staff,
            json: { data: answers(c.serviceId, s.stepId) },
          }),
        );
      } else if (await answerCitizen(sys, c, s.stepId)) unreachableSince = undefined;
      else {
        // The invitation SMS failed (the product records SMS_FAILED; the reminder sends it again).
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince > 3000) {
          await sys.advance(REMINDER_SECONDS);
          unreachableSince = undefined;
        }
      }
    }
    await sleep(150);
  }
}
