import type { CaseEraser } from '../domain/ports';
import { documentClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { DynamoCaseEraser } from './dynamo-erasure';

// The eraser of the functions that erase (erase-case, console): in a module of its own, so that the
// other functions' bundles do not carry it (and its load time).
export const eraser: CaseEraser = new DynamoCaseEraser(documentClient(), requireEnv('TABLE_NAME'));
