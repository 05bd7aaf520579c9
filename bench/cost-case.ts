/**
 * One case of a service driven through the local runtime as its partners would: the provider
 * creates it over the API, each step is submitted through its own route (the citizen's through the
 * link, the provider's with a staff token), and the engine clock moves on for the slow path.
 * Between the moves the bench watches the execution's history in the engine (no API call, no
 * table read): a stage is open when open-step has returned for each of its wait segments so far
 * (a TaskSubmitted event each). What is counted is what the case costs, not the bench's looking.
 */

import { waitSegments } from '../lib/constructs/workflow/segments';
import { providerToken } from '../local/runtime/demo';
import type { Runtime } from '../local/runtime/runtime';
import type { Service } from '../workflows/schema';
import { answerFor, type Pace, waitBeforeAnswers } from './cost-scenario';

async function call(url: string, method: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, {
    method,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status >= 400)
    throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export function machineArn(rt: Runtime, serviceId: string): string {
  const list = rt.engine.engine.listStateMachines({ maxResults: 1000 }).stateMachines ?? [];
  const found = list.find((m) => m.name?.endsWith(`-${serviceId}`));
  if (!found?.stateMachineArn) throw new Error(`no state machine for ${serviceId}`);
  return found.stateMachineArn;
}

/** The case's executions: the first is named after the case, continuations `<caseId>-<n>`. */
export function executionsOf(rt: Runtime, serviceId: string, caseId: string): string[] {
  const all = rt.engine.engine.listExecutions({
    stateMachineArn: machineArn(rt, serviceId),
    maxResults: 1000,
  });
  return (all.executions ?? [])
    .filter((x) => x.name === caseId || x.name?.startsWith(`${caseId}-`))
    .map((x) => x.executionArn as string);
}

/** Waits until the execution's history holds `count` TaskSubmitted events (open-step returned). */
async function submitted(rt: Runtime, executionArn: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let seen = 0;
    let nextToken: string | undefined;
    do {
      const page = rt.engine.engine.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
      seen += (page.events ?? []).filter((e) => e.type === 'TaskSubmitted').length;
      nextToken = page.nextToken;
    } while (nextToken);
    if (seen >= count) return;
    if (Date.now() > deadline) throw new Error(`${executionArn}: ${seen} of ${count} wait segments opened`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs one case to COMPLETED; returns its id. Throws when a step is refused or the case does not end well. */
export async function driveCase(rt: Runtime, service: Service, pace: Pace, n: number): Promise<string> {
  const org = `bench-${service.providerKind}`;
  const staff = { authorization: `Bearer ${providerToken(rt.issuer, org, service.providerKind)}` };
  const created = await call(
    `${rt.url}/cases`,
    'POST',
    {
      serviceId: service.id,
      citizen: { phone: `+316${String(30_000_000 + n).slice(-8)}`, locale: 'nl' },
      reference: `cost-${service.id}-${pace}`,
    },
    staff,
  );
  const caseId = String(created.caseId);
  const link = new URL(String(created.citizenLink)).pathname;
  const [execution] = executionsOf(rt, service.id, caseId);
  if (!execution) throw new Error(`${service.id}: case ${caseId} has no execution`);
  let segments = 0;
  for (const stage of service.stages) {
    segments += stage.steps.length;
    await submitted(rt, execution, segments);
    const wait = waitBeforeAnswers(stage, pace);
    if (wait > 0) {
      await rt.advance(wait);
      segments += stage.steps.reduce((n, step) => n + waitSegments(step).length - 1, 0);
      await submitted(rt, execution, segments);
    }
    for (const step of stage.steps) {
      const body = { data: answerFor(step) };
      if (step.actor === 'citizen') await call(`${rt.url}${link}/steps/${step.id}`, 'POST', body, {});
      else await call(`${rt.url}/cases/${caseId}/steps/${step.id}`, 'POST', body, staff);
    }
  }
  for (const arn of executionsOf(rt, service.id, caseId)) {
    const stuck = new Promise<never>((_, fail) =>
      setTimeout(() => fail(new Error(`${service.id} ${pace}: ${arn} still running`)), 30_000).unref(),
    );
    const done = await Promise.race([rt.engine.engine.waitForExecution(arn), stuck]);
    if (done.status !== 'SUCCEEDED')
      throw new Error(`${service.id} ${pace}: ${arn} ${done.status} ${done.error ?? ''}`);
  }
  return caseId;
}
