import { sfnClient } from '../shared/clients';
import type { TaskRetimer } from './ports';
import { SfnTaskRetimer } from './sfn-retimer';

/** For functions that only re-time waits (open-step): no table of proposals needed. */
export const taskRetimer: TaskRetimer = new SfnTaskRetimer(sfnClient);
