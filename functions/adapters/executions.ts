import { sfnClient } from '../shared/clients';
import { SfnExecutions } from './sfn-engine';

/** For functions that look at an execution by its ARN (case-failed): they need no state machine ARNs. */
export const executions = new SfnExecutions(sfnClient);
