/**
 * The payload quota on a state's effective input: "after Parameters processing, the input of a
 * state is larger than the payload size quota" is one of the three causes of
 * States.DataLimitExceeded (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 * Outputs are checked where a state is left (transitions.ts), task results in task-outcome.ts.
 */
import type { Json } from '../language/json';
import { overLimit } from '../language/payload-size';
import { DataLimitExceeded } from '../language/states-errors';

/** Throws States.DataLimitExceeded when a state's input after Parameters is over the quota. */
export function checkInput(stateName: string, input: Json): void {
  if (overLimit(input)) {
    throw new DataLimitExceeded(
      `The state/task '${stateName}' has an input with a size exceeding the maximum number of bytes service limit.`,
    );
  }
}
