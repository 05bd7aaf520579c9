import { sfnClient } from '../shared/clients';
import { SfnTaskCompleter } from './sfn-engine';

/** For functions that only answer task tokens (open-step): they need no state machine ARNs. */
export const taskCompleter = new SfnTaskCompleter(sfnClient);
