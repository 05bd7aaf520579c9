import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { EXECUTION_COST } from '../../../lib/constructs/workflow/budget';
import { sampleService } from '../fixtures';
import { compileService } from './workflow/compile';
import { CASE_ID, CREATED_AT, Run } from './workflow/run-harness';
import { chainedService, threeStageService } from './workflow/services';

// The compiled machines on the project's own Step Functions engine, with their DynamoDB writes
// against dynalite; open-step is played by the test (see workflow/run-harness.ts).

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const sample = () => compileService(sampleService(), { stackName: 'run' });
async function started(
  compiled = sample(),
  item: Record<string, unknown> = {},
  input: Record<string, unknown> = {},
) {
  run = await Run.start(compiled.asl, `run-${compiled.workflow.serviceId}`);
  await run.seedCase(item);
  return { r: run, arn: await run.execute(input), compiled };
}

/** Both partners answer a stage of the sample service. */
async function stage(r: Run, steps: [string, Record<string, unknown>?][], count = 1) {
  for (const [stepId] of steps) await r.opened(stepId, count);
  for (const [stepId, data] of steps) await r.answer(stepId, data);
}

describe('compiled service machine on the local engine', () => {
  it('runs the happy path in the transitions of the minimal machine and completes the case', async () => {
    const { r, arn, compiled } = await started();
    await stage(r, [['describe'], ['acknowledge']]);
    await stage(r, [['propose'], ['agree', { agreed: true }]]);
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
    // Per stage one write, the Parallel and a task per open segment; the Choice; one write at the end.
    expect(r.history(arn).entered).toEqual([
      'Enter stage report',
      'Stage report',
      'Step describe invite',
      'Step acknowledge invite',
      'Enter stage plan',
      'Stage plan',
      'Step propose invite',
      'Step agree invite',
      'After stage plan',
      'Mark case completed',
    ]);
    const item = await r.caseItem();
    expect(item).toMatchObject({
      status: 'COMPLETED',
      gsi2sk: `COMPLETED#${CREATED_AT}#${CASE_ID}`,
      visits: 2,
    });
    // The budget holds what both stage visits may use, and bounds what the execution did record.
    const [report, plan] = compiled.workflow.budgets;
    expect(item.budgetEvents).toBe((report?.visit.events ?? 0) + (plan?.visit.events ?? 0));
    expect(item.budgetSeconds).toBe((report?.visit.seconds ?? 0) + (plan?.visit.seconds ?? 0));
    expect(r.history(arn).events).toBeLessThanOrEqual(EXECUTION_COST.events + Number(item.budgetEvents));
    // open-step hears the stage entry time (its STAGE_ENTERED event) and the visit.
    const invite = await r.opened('describe');
    expect(invite.Payload).toMatchObject({
      caseId: CASE_ID,
      stageId: 'report',
      notice: 'invite',
      visit: '1',
    });
    expect(Date.parse(invite.Payload.stageEnteredAt ?? '')).toBeLessThanOrEqual(
      Date.parse(invite.Payload.enteredAt ?? ''),
    );
  });

  it('goes back to the earlier stage when the answer says so, with a higher visit, then completes', async () => {
    const { r, arn } = await started();
    await stage(r, [['describe'], ['acknowledge']]);
    await stage(r, [['propose'], ['agree', { agreed: false }]]);
    await stage(r, [['describe'], ['acknowledge']], 2);
    await stage(r, [['propose'], ['agree', { agreed: true }]], 2);
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
    expect(r.history(arn).entered.filter((s) => s.startsWith('Enter stage'))).toEqual([
      'Enter stage report',
      'Enter stage plan',
      'Enter stage report',
      'Enter stage plan',
    ]);
    const visits = r.invocations.filter((i) => i.Payload.stepId === 'describe').map((i) => i.Payload.visit);
    expect(visits).toEqual(['1', '3']);
    expect(await r.caseItem()).toMatchObject({ status: 'COMPLETED', visits: 4 });
  });

  it('opens a step that comes after another only once that one is answered, also after a back-jump', async () => {
    const { r, arn } = await started(compileService(chainedService(), { stackName: 'run' }));
    await stage(r, [['describe'], ['acknowledge']]);
    await r.opened('propose');
    // Turns of the engine with the proposal open: the agreement is not opened meanwhile.
    for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(r.invocations.filter((i) => i.Payload.stepId === 'agree')).toEqual([]);
    await r.answer('propose', { plan: 'p' });
    const agree = await r.opened('agree');
    expect(agree.Payload).toMatchObject({ caseId: CASE_ID, stepId: 'agree', visit: '2', notice: 'invite' });
    // Only the stage's first step logs the stage entry.
    expect(agree.Payload.stageEnteredAt).toBeUndefined();
    await r.answer('agree', { agreed: false });
    // Back to the report, and in the plan's second visit the agreement again waits for the proposal.
    await stage(r, [['describe'], ['acknowledge']], 2);
    await r.opened('propose', 2);
    for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(r.invocations.filter((i) => i.Payload.stepId === 'agree')).toHaveLength(1);
    await r.answer('propose', { plan: 'p2' });
    expect((await r.opened('agree', 2)).Payload.visit).toBe('4');
    await r.answer('agree', { agreed: true });
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
  });

  it('moves through reminder and escalation segments on timeouts, and expires the case after the last', async () => {
    const { r, arn } = await started();
    await r.opened('acknowledge');
    await r.answer('describe');
    await r.advance(86_400 + 60); // acknowledge: due after 12 hours, expired after a day
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
    expect(
      r.invocations.filter((i) => i.Payload.stepId === 'acknowledge').map((i) => i.Payload.notice),
    ).toEqual(['invite', 'escalation']);
    expect(r.history(arn).entered.slice(-2)).toEqual(['Round case expired?', 'Mark case expired']);
    expect(await r.caseItem()).toMatchObject({
      status: 'EXPIRED',
      gsi2sk: `EXPIRED#${CREATED_AT}#${CASE_ID}`,
    });
  });

  it('counts the end of a round case on its round item, and ends quietly when that item is gone', async () => {
    const { r, arn } = await started(sample(), { roundId: 'r-1' }, { roundId: 'r-1' });
    await r.put({ ...keys.round('r-1'), completed: 4 });
    await stage(r, [['describe'], ['acknowledge']]);
    await stage(r, [['propose'], ['agree', { agreed: true }]]);
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
    expect(r.history(arn).entered.slice(-2)).toEqual(['Mark round case completed', 'Count round completed']);
    expect(await r.item(keys.round('r-1'))).toMatchObject({ completed: 5 });

    // A second case of a round whose item expired first: counted nowhere, and no bare counter made.
    await r.seedCase({ status: 'ACTIVE', roundId: 'r-2' });
    const second = await r.execute({ roundId: 'r-2' }, `${CASE_ID}-again`);
    await stage(r, [['describe'], ['acknowledge']], 2);
    await stage(r, [['propose'], ['agree', { agreed: true }]], 2);
    expect((await r.finished(second)).status).toBe('SUCCEEDED');
    expect(r.history(second).entered.at(-1)).toBe('Round no longer there');
    expect(await r.item(keys.round('r-2'))).toBeUndefined();
  });

  it('ends quietly when the case is no longer active', async () => {
    const { r, arn } = await started(sample(), { status: 'CANCELLED' });
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
    expect(r.history(arn).entered).toEqual(['Enter stage report', 'Case no longer active']);
    expect(r.invocations).toEqual([]);
  });

  it('retries a throttled open-step, and fails the execution where it is on an error that is not transient', async () => {
    const { r, arn } = await started();
    let throttled = 0;
    r.fault = (p) => {
      if (p.stepId === 'describe' && throttled++ < 2)
        return Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
      if (p.stepId === 'propose')
        return Object.assign(new Error('no such case'), { name: 'OpenStep.UnknownCase' });
      return undefined;
    };
    await r.until(() => r.engine.nextTimer() !== undefined, 'a retry to be scheduled');
    await r.advance(60); // the backoff: 2 s, then up to 4 s (full jitter)
    await stage(r, [['describe'], ['acknowledge']]);
    const done = await r.finished(arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'OpenStep.UnknownCase' });
    expect(throttled).toBe(3);
    // Nothing caught it: the history ends in the state that failed, which a redrive resumes.
    const events =
      r.engine.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 5 }).events ?? [];
    expect(events.map((e) => e.type)).toContain('ExecutionFailed');
    expect(r.history(arn).entered).not.toContain('Mark case completed');
    expect(await r.caseItem()).toMatchObject({ status: 'ACTIVE' });
  });
});

describe('continue-as-new', () => {
  it('continues the case in a new execution at the same stage, the visit counter going on', async () => {
    const service = threeStageService();
    const { workflow } = compileService(service, { stackName: 'run' });
    const [report, plan, close] = workflow.budgets;
    if (!report || !plan || !close) throw new Error('budgets');
    // Room for exactly one pass: the first back-jump must continue in a new execution.
    const executionLimits = {
      seconds: EXECUTION_COST.seconds + report.forward.seconds,
      events: EXECUTION_COST.events + report.forward.events,
    };
    const { r, arn } = await started(compileService(service, { stackName: 'run', executionLimits }));
    await stage(r, [['describe'], ['acknowledge']]);
    await stage(r, [['propose'], ['agree', { agreed: true }]]);
    await stage(r, [['report-back'], ['confirm', { agreed: false }]]);
    expect((await r.finished(arn)).status).toBe('SUCCEEDED');
    expect(r.history(arn).entered.slice(-5)).toEqual([
      'After stage close',
      'Continue at stage plan',
      'Log continuation at stage plan',
      'Start continuation at stage plan',
      'Switch to continuation at stage plan',
    ]);

    const next = `${arn.slice(0, arn.lastIndexOf(':'))}:${CASE_ID}-2`;
    const described = r.engine.describeExecution({ executionArn: next });
    expect(JSON.parse(described.input ?? '{}')).toEqual({
      caseId: CASE_ID,
      serviceId: 'repair-request',
      org: 'org-1',
      createdAt: CREATED_AT,
      resumeAt: 'plan',
      continuation: 2,
    });
    // The new execution goes on at plan, as the fourth stage entry of the case.
    const invite = await r.opened('propose', 2);
    expect(invite.Payload).toMatchObject({ stageId: 'plan', visit: '4' });
    expect(r.history(next).entered.slice(0, 3)).toEqual([
      'Resume at stage?',
      'Enter stage plan',
      'Stage plan',
    ]);
    const item = await r.caseItem();
    expect(item).toMatchObject({
      execution: `${CASE_ID}-2`,
      continuations: 1,
      visits: 4,
      budgetSeconds: plan.visit.seconds,
      budgetEvents: plan.visit.events,
    });
    const continued = (await r.events()).filter((e) => e.type === 'CASE_CONTINUED');
    expect(continued).toEqual([
      expect.objectContaining({
        actor: 'system',
        detail: { from: CASE_ID, to: `${CASE_ID}-2`, stageId: 'plan' },
        ttl: 1_900_000_000,
        sk: expect.stringMatching(/^EVENT#.+#continued-2$/),
      }),
    ]);

    await stage(r, [['propose'], ['agree', { agreed: true }]], 2);
    await stage(r, [['report-back'], ['confirm', { agreed: true }]], 2);
    expect((await r.finished(next)).status).toBe('SUCCEEDED');
    expect(await r.caseItem()).toMatchObject({ status: 'COMPLETED', visits: 5, execution: `${CASE_ID}-2` });
  });
});
