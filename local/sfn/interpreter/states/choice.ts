/** The Choice state: the first rule that matches picks the next state, else Default. */
import type { Json } from '../../language/json';
import { NoChoiceMatched } from '../../language/states-errors';
import type { StateRun } from '../ports';
import { exitState } from '../transitions';

export function runChoice(run: StateRun, input: Json): void {
  const { state } = run;
  const hit = (state.choices ?? []).find((c) => c.test(input, run.context));
  const next = hit?.next ?? state.defaultNext;
  if (next === undefined) throw new NoChoiceMatched(state.name);
  exitState(run, state.outputPath(input, run.context), next);
}
