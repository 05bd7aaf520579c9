/**
 * A data folder from before a change of the table's layout is brought up to date when the runtime starts,
 * as an engineer does for a deployed table (scripts/migrate-step-keys.ts): its step items move to their new
 * sort keys (scripts/migrations/step-keys.ts). A marker file beside dynalite's folder says it was done, so
 * a start scans the table once, not every time.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { moveStepKeys, type StepKeyMove } from '../../scripts/migrations/step-keys';

/** The layout a data folder is in once upgraded: the name of its latest move. */
const LAYOUT = 'steps-before-case';

/** The marker of a dynalite folder: written once its tables are in the current layout. */
export const layoutMarker = (path: string) => `${path}.layout`;

/**
 * Moves what `existing` (tables that were there before this start) hold in an older layout, unless the
 * folder's marker says they are up to date; marks the folder either way. Undefined when nothing ran.
 */
export async function upgradeLayout(
  admin: DynamoDBClient,
  path: string,
  existing: readonly string[],
): Promise<StepKeyMove | undefined> {
  const marker = layoutMarker(path);
  if (existsSync(marker)) return undefined;
  const result: StepKeyMove = { moved: 0, conflicts: [] };
  for (const table of existing) {
    const { moved, conflicts } = await moveStepKeys(admin, table);
    result.moved += moved;
    result.conflicts.push(...conflicts);
  }
  writeFileSync(marker, `${LAYOUT}\n`);
  return existing.length > 0 ? result : undefined;
}
