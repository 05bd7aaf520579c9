/**
 * An edited copy of the synthesized cloud assembly, for scenarios that need what `cdk deploy` would
 * deploy with one thing changed (as a reviewer would edit a copy and run it with --assembly). The
 * bundles are linked, not copied; only the stack template is rewritten.
 */
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function editedAssembly(from: string, edit: (templateText: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-assembly-'));
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (entry.endsWith('.template.json')) {
      const text = readFileSync(source, 'utf8');
      const edited = edit(text);
      if (edited === text) throw new Error(`the edit changed nothing in ${entry}`);
      writeFileSync(join(dir, entry), edited);
    } else if (!entry.startsWith('.')) symlinkSync(source, join(dir, entry));
  }
  return dir;
}
