/** The Pass state: its Result, or its Parameters, or its input, placed by ResultPath. */
import type { Json } from '../../language/json';
import type { StateRun } from '../ports';
import { exitState } from '../transitions';

export function runPass(run: StateRun, input: Json): void {
  const { state, thread } = run;
  const result =
    state.result !== undefined
      ? state.result
      : state.parameters
        ? state.parameters(input, run.context)
        : input;
  exitState(run, state.outputPath(state.resultPath(thread.input, result), run.context));
}
