import { roundKeys } from './model';
import type { RoundFiles, RoundRepository } from './ports';

// The last state of the round machine, also its catch-all. The live counters of the batches are
// replaced by exact counts (a retried batch may have counted twice), so the round ends with the truth.

export interface FinishDeps {
  rounds: RoundRepository;
  files: RoundFiles;
}

export interface FinishEvent {
  roundId: string;
  /** What the round machine caught: Error and Cause as Step Functions reports them. */
  error?: { Error?: string; Cause?: string };
}

const MAX_CAUSE = 300;

/** One sentence for the console from a Step Functions error; a Lambda's Cause is JSON with a message. */
export function failureSentence(error: { Error?: string; Cause?: string }): string {
  const name = error.Error ?? 'an unknown error';
  if (name === 'States.ExceedToleratedFailureThreshold')
    return 'Too many batches of cases failed to start (more than the tolerated failure percentage).';
  let cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // A plain-text cause is used as it is.
  }
  cause = cause.replace(/\s+/g, ' ').trim();
  if (cause.length > MAX_CAUSE) cause = `${cause.slice(0, MAX_CAUSE - 1)}…`;
  return cause ? `The round stopped on ${name}: ${cause}` : `The round stopped on ${name}.`;
}

export async function finishRound(
  deps: FinishDeps,
  event: FinishEvent,
): Promise<{ status: 'STARTED' | 'FAILED' }> {
  const { roundId } = event;
  const [started, failed] = await Promise.all([
    deps.rounds.countRoundCases(roundId),
    deps.rounds.countRowFailures(roundId),
  ]);
  if (event.error) {
    // The files stay: starting the round again needs the upload (the cases found are not started twice).
    await deps.rounds.updateRound(roundId, {
      status: 'FAILED',
      error: failureSentence(event.error),
      started,
      failed,
    });
    return { status: 'FAILED' };
  }
  await deps.rounds.updateRound(roundId, { status: 'STARTED', started, failed });
  await deps.files.remove([roundKeys.upload(roundId), roundKeys.valid(roundId)]);
  return { status: 'STARTED' };
}
