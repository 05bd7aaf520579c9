import { beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/domain/model';
import { failureSentence, finishRound } from '../../../functions/rounds/finish';
import { FakeRoundFiles, FakeRoundRepository, roundRecord } from '../../support/round-fakes';

const caseOf = (caseId: string, roundId?: string) => ({ caseId, ...(roundId && { roundId }) }) as CaseRecord;

describe('finishRound', () => {
  let rounds: FakeRoundRepository;
  let files: FakeRoundFiles;
  beforeEach(async () => {
    rounds = new FakeRoundRepository(() => [
      caseOf('a', 'r1'),
      caseOf('b', 'r1'),
      caseOf('c', 'r2'),
      caseOf('d'),
    ]);
    files = new FakeRoundFiles();
    await rounds.createRound(roundRecord({ status: 'STARTING', attempt: 1, started: 7, failed: 3 }));
    await rounds.putRowFailures('r1', [{ line: 4, reference: 'R-4', reason: 'x' }]);
    files.put('rounds/r1/upload.csv', 'u');
    files.put('rounds/r1/valid.csv', 'v');
  });

  it('replaces the live counters by exact counts, marks STARTED and removes both files, idempotently', async () => {
    for (let i = 0; i < 2; i++) {
      expect(await finishRound({ rounds, files }, { roundId: 'r1' })).toEqual({ status: 'STARTED' });
      expect(rounds.rounds.get('r1')).toMatchObject({ status: 'STARTED', started: 2, failed: 1 });
      expect(files.objects.size).toBe(0);
    }
  });

  it('marks FAILED with a sentence and keeps the files for a new attempt', async () => {
    const error = {
      Error: 'States.ExceedToleratedFailureThreshold',
      Cause: 'The specified tolerated failure threshold was exceeded',
    };
    expect(await finishRound({ rounds, files }, { roundId: 'r1', error })).toEqual({ status: 'FAILED' });
    expect(rounds.rounds.get('r1')).toMatchObject({
      status: 'FAILED',
      started: 2,
      failed: 1,
      error: 'Too many batches of cases failed to start (more than the tolerated failure percentage).',
    });
    expect(files.objects.size).toBe(2);
  });

  it('turns a Lambda error into one short sentence', () => {
    const cause = JSON.stringify({
      errorType: 'Error',
      errorMessage: 'round r1 does not exist',
      trace: ['at x'],
    });
    expect(failureSentence({ Error: 'Error', Cause: cause })).toBe(
      'The round stopped on Error: round r1 does not exist',
    );
    expect(failureSentence({ Error: 'States.Timeout' })).toBe('The round stopped on States.Timeout.');
    expect(failureSentence({ Error: 'X', Cause: 'y'.repeat(1000) })).toHaveLength(
      'The round stopped on X: '.length + 300,
    );
  });
});
