import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { services } from '../../workflows/catalog';
import { loadServices } from '../../workflows/load';
import { DefinitionError, type ServiceInput } from '../../workflows/schema';
import wasteCollection from '../../workflows/services/waste-collection';

// loadServices() is what the CDK stack calls: it must accept the real definitions and fail the synth,
// naming the file, for anything else.

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A services folder with plain-object definitions (no imports, so they load from anywhere). */
function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-services-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) {
    const source = typeof body === 'string' ? body : `export default ${JSON.stringify(body, null, 2)};\n`;
    writeFileSync(join(dir, name), source);
  }
  return dir;
}

const waste = (change: (s: ServiceInput) => void = () => {}): ServiceInput => {
  const copy = structuredClone(wasteCollection);
  change(copy);
  return copy;
};

function loadError(dir: string, ids: readonly string[] = ['waste-collection']): DefinitionError {
  try {
    loadServices(dir, ids);
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return error as DefinitionError;
  }
  throw new Error('loadServices accepted the folder');
}

describe('loadServices', () => {
  it('loads workflows/services/ in file-name order, equal to the catalog', () => {
    const loaded = loadServices();
    expect(loaded.map((s) => s.id)).toEqual(['care-plan', 'child-development', 'waste-collection']);
    for (const service of loaded) expect(service).toEqual(services.find((s) => s.id === service.id));
  });

  it('accepts a folder whose files match the given catalog ids', () => {
    const dir = folder({ 'waste-collection.ts': waste(), 'notes.md': 'not a service' });
    expect(loadServices(dir, ['waste-collection']).map((s) => s.id)).toEqual(['waste-collection']);
  });

  it('names the file, the path and the rule of an invalid definition', () => {
    const dir = folder({
      'waste-collection.ts': waste((s) => {
        const step = s.stages[0]?.steps[0];
        if (step) step.due = 'P1M';
      }),
    });
    const { message } = loadError(dir);
    expect(message).toContain(join(dir, 'waste-collection.ts'));
    expect(message).toContain('$.stages[0].steps[0].due');
    expect(message).toContain('rule: durations are ISO 8601');
  });

  it('fails on a file that does not compile, naming it', () => {
    const dir = folder({ 'waste-collection.ts': 'export default { id: ;\n' });
    expect(loadError(dir).message).toMatch(/waste-collection\.ts: the file does not load: .*Unexpected ";"/s);
  });

  it('refuses a file without a default export', () => {
    const dir = folder({ 'waste-collection.ts': `export const service = ${JSON.stringify(waste())};\n` });
    expect(loadError(dir).message).toMatch(/waste-collection\.ts: \$: rule: the file has a default export/);
  });

  it('refuses a file whose name is not the service id', () => {
    const dir = folder({ 'waste.ts': waste() });
    expect(loadError(dir, ['waste']).message).toMatch(
      /waste\.ts: \$\.id: rule: the file name is the service id \('waste-collection' is not 'waste'\)/,
    );
  });

  it('refuses a service file that the catalog does not list', () => {
    const dir = folder({ 'waste-collection.ts': waste() });
    expect(loadError(dir, []).message).toBe(
      `${join(dir, 'waste-collection.ts')} is not listed in workflows/sources.ts`,
    );
  });

  it('refuses a catalog entry without a service file', () => {
    const dir = folder({ 'waste-collection.ts': waste() });
    expect(loadError(dir, ['waste-collection', 'care-plan']).message).toMatch(
      /workflows\/sources\.ts lists 'care-plan' but .*care-plan\.ts does not exist/,
    );
  });

  it('refuses an unknown placeholder in a message', () => {
    const dir = folder({
      'waste-collection.ts': waste((s) => {
        s.messages.reminder.en = 'Reminder {org}: {stap} via {link}';
      }),
    });
    expect(loadError(dir).message).toMatch(
      /\$\.messages\.reminder\.en: rule: messages use only .*\{stap\} is unknown/,
    );
  });

  it('refuses an invitation without the citizen link', () => {
    const dir = folder({
      'waste-collection.ts': waste((s) => {
        s.messages.invitation.nl = '{org}: {step}';
      }),
    });
    expect(loadError(dir).message).toMatch(
      /\$\.messages\.invitation\.nl: rule: the invitation contains \{link\}/,
    );
  });

  it("checks a step's own messages as the service's: placeholders, and the link in an invitation", () => {
    const dir = folder({
      'waste-collection.ts': waste((s) => {
        const step = s.stages[0]?.steps[0];
        if (step) step.messages = { invitation: { nl: '{org}: {stap} via {link}', en: '{org}: {step}' } };
      }),
    });
    expect(loadError(dir).message).toMatch(
      /\$\.stages\[0\]\.steps\[0\]\.messages\.invitation\.nl: rule: messages use only .*\{stap\} is unknown/,
    );
    const linkless = folder({
      'waste-collection.ts': waste((s) => {
        const step = s.stages[0]?.steps[0];
        if (step) step.messages = { invitation: { nl: '{org}: {step} via {link}', en: '{org}: {step}' } };
      }),
    });
    expect(loadError(linkless).message).toMatch(
      /\$\.stages\[0\]\.steps\[0\]\.messages\.invitation\.en: rule: the invitation contains \{link\}/,
    );
  });

  it('refuses a backTo value the field can never take', () => {
    const dir = folder({
      'waste-collection.ts': waste((s) => {
        const feedback = s.stages[1]?.steps[0];
        if (feedback?.backTo) feedback.backTo.when.equals = 'nee';
      }),
    });
    expect(loadError(dir).message).toMatch(
      /\$\.stages\[1\]\.steps\[0\]\.backTo\.when\.equals: rule: backTo\.when\.equals is a value the yesNo field 'satisfied' can take/,
    );
  });

  it('names a file inside the working directory by its relative path, as in workflows/services/x.ts', () => {
    const dir = folder({ 'waste.ts': waste() });
    vi.spyOn(process, 'cwd').mockReturnValue(dirname(dir));
    expect(loadError(dir, ['waste']).message).toContain(`${basename(dir)}/waste.ts: $.id: rule:`);
  });
});
