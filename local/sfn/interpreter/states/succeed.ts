/** The Succeed state: ends its branch (or the execution) with its input, through OutputPath. */
import type { Json } from '../../language/json';
import type { StateRun } from '../ports';
import { exitState } from '../transitions';

export function runSucceed(run: StateRun, input: Json): void {
  exitState(run, run.state.outputPath(input, run.context));
}
