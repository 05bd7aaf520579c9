/**
 * Starts of a durable engine wait for the tick that begins them (scheduler/start-queue.ts), and
 * a tick that finds the journal idle begins only half of them. Names must stay unique across
 * that wait, every start must run, and a start is answered only once it is on disk.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import { tempDirs } from '../../support/temp-dirs';

const tempDir = tempDirs('sfn-starts-');

async function durableEngine(): Promise<{ engine: Engine; dir: string; machine: string }> {
  const dir = tempDir();
  const engine = new Engine({ dataDir: dir });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'm',
    definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
  });
  return { engine, dir, machine: stateMachineArn as string };
}

describe('queued starts (durable engine)', () => {
  it('answers a repeated name while the first start is queued: same input once, other input refused', async () => {
    const { engine, machine } = await durableEngine();
    const first = engine.startExecution({ stateMachineArn: machine, name: 'n', input: '{"a":1}' });
    const retry = engine.startExecution({ stateMachineArn: machine, name: 'n', input: '{"a":1}' });
    const other = engine.startExecution({ stateMachineArn: machine, name: 'n', input: '{"a":2}' });
    await expect(other).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
    const [a, b] = await Promise.all([first, retry]);
    expect(b.executionArn).toBe(a.executionArn);
    expect(b.startDate).toEqual(a.startDate);
    const { executions } = await engine.listExecutions({ stateMachineArn: machine });
    expect(executions?.length).toBe(1);
    await engine.close();
  });

  it('runs every start of a burst, in start order, and each answered start survives a reopen', async () => {
    const { engine, dir, machine } = await durableEngine();
    const names = Array.from({ length: 50 }, (_, i) => `e${i}`);
    const answers = await Promise.all(
      names.map((name, i) => engine.startExecution({ stateMachineArn: machine, name, input: `{"i":${i}}` })),
    );
    for (const { executionArn } of answers) {
      expect((await engine.waitForExecution(executionArn as string)).status).toBe('SUCCEEDED');
    }
    await engine.close();
    const reopened = new Engine({ dataDir: dir });
    const { executions } = await reopened.listExecutions({ stateMachineArn: machine, maxResults: 100 });
    // ListExecutions answers newest first.
    expect(executions?.map((e) => e.name).reverse()).toEqual(names);
    const output = (await reopened.describeExecution({ executionArn: answers[7]?.executionArn })).output;
    expect(JSON.parse(output as string)).toEqual({ i: 7 });
    await reopened.close();
  });
});
