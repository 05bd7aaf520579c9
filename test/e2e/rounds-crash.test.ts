import { describe, expect, it } from 'vitest';
import { putFile } from '../../local/runtime/round-client';
import { wasteRow, writeWasteCsv } from '../../local/runtime/round-csv';
import type { LocalSystem } from './harness';
import {
  casesByReference,
  createRound,
  getRound,
  poll,
  roundEnded,
  runRound,
  startRound,
  tempFile,
} from './rounds';
import { withLocalSystem } from './setup';

const ORG = 'gemeente-stroomuitval';
const ROWS = 600;
let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

async function exactlyOneCaseEach() {
  const cases = await casesByReference(sys, staff, 'waste-collection', 'hh-');
  expect(cases.size).toBe(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const ids = cases.get(wasteRow(i).reference);
    expect(ids, `${wasteRow(i).reference}: ${ids?.join(' ')}`).toHaveLength(1);
  }
  return cases;
}

describe('a crash in the middle of a round', () => {
  it('resumes after a SIGKILL and a restart, and a manual restart after that is safe', async () => {
    const file = tempFile('stroomuitval.csv');
    await writeWasteCsv(file, ROWS);
    const created = await createRound(sys, staff, { serviceId: 'waste-collection', name: 'stroomuitval' });
    await putFile(created.upload, file);
    const { attempt } = await startRound(sys, staff, created.roundId);

    // Halfway: some cases started, many not yet.
    const before = await poll(
      async () => {
        const r = await getRound(sys, staff, created.roundId);
        return r.status === 'STARTING' && r.started >= 150 ? r : undefined;
      },
      'the round to be under way',
      150_000,
    );
    await sys.kill();
    expect(before.started).toBeLessThan(ROWS);

    // The engine is durable: the round execution carries on by itself after the restart.
    await sys.boot();
    const resumed = await roundEnded(sys, staff, created.roundId, attempt);
    expect(resumed).toMatchObject({ status: 'STARTED', attempt, validated: ROWS, started: ROWS, failed: 0 });
    const cases = await exactlyOneCaseEach();

    // Starting it again by hand (a finished round has removed its files: upload again): a new attempt
    // that finds every case already there.
    const second = await runRound(sys, staff, file, { serviceId: 'waste-collection', name: 'stroomuitval' });
    expect(second).toMatchObject({ roundId: created.roundId, status: 'STARTED', attempt: attempt + 1 });
    expect(second).toMatchObject({ validated: ROWS, started: ROWS, failed: 0 });
    expect(await exactlyOneCaseEach()).toEqual(cases);
  }, 400_000);
});
