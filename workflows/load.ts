import { readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { require as tsxRequire } from 'tsx/cjs/api';
import { MESSAGE_KINDS, PLACEHOLDERS, placeholdersOf } from '../functions/domain/messages';
import { services as catalog } from './catalog';
import { normalizeService } from './normalize';
import { DefinitionError, parseService, type Service, type ServiceInput, type Step } from './schema';

// Synth-time loading of the definitions. Every .ts file in workflows/services/ is a service; a bad one
// fails `cdk synth` with a message that names the file, the path and the rule.

export const SERVICES_DIR = resolve(__dirname, 'services');

/** Relative to the working directory when the file is inside it, so messages read workflows/services/x.ts. */
function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

export function loadServices(
  dir: string = SERVICES_DIR,
  catalogIds: readonly string[] = catalog.map((s) => s.id),
) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  const loaded = files.map((f) => loadFile(join(dir, f)));
  checkCatalog(dir, loaded, catalogIds);
  return loaded;
}

function loadFile(path: string): Service {
  const file = display(path);
  const mod = requireDefinition(path, file);
  if (mod.default === undefined)
    throw new DefinitionError(
      `Invalid service definition ${file}\n  ${file}: $: rule: the file has a default export`,
    );
  const service = parseService(file, mod.default);
  const fail = (path: string, rule: string) =>
    new DefinitionError(`Invalid service definition ${file}\n  ${file}: ${path}: rule: ${rule}`);
  const expected = basename(path, '.ts');
  if (service.id !== expected)
    throw fail('$.id', `the file name is the service id ('${service.id}' is not '${expected}')`);
  checkTemplates(service, fail);
  checkBackTo(service, fail);
  if (!isDeepStrictEqual(normalizeService(mod.default as ServiceInput), service))
    throw fail('$', 'workflows/normalize.ts gives the same result as the schema (update normalize.ts)');
  return service;
}

function requireDefinition(path: string, file: string): { default?: unknown } {
  try {
    // tsx compiles the definition whether synth runs under tsx or the tests under vitest.
    return tsxRequire(path, __filename);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DefinitionError(
      `Invalid service definition ${file}\n  ${file}: the file does not load: ${reason}`,
    );
  }
}

function checkTemplates(service: Service, fail: (path: string, rule: string) => Error): void {
  // The service's texts, and each step's own (schema.ts, Step.messages).
  checkTemplateSet('$.messages', service.messages, fail);
  service.stages.forEach((stage, si) => {
    stage.steps.forEach((step, pi) => {
      checkTemplateSet(`$.stages[${si}].steps[${pi}].messages`, step.messages, fail);
    });
  });
}

function checkTemplateSet(
  base: string,
  messages: Step['messages'],
  fail: (path: string, rule: string) => Error,
) {
  for (const kind of MESSAGE_KINDS) {
    for (const locale of ['nl', 'en'] as const) {
      const template = messages?.[kind]?.[locale];
      if (template === undefined) continue;
      const at = `${base}.${kind}.${locale}`;
      const unknown = placeholdersOf(template).find((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
      if (unknown !== undefined)
        throw fail(at, `messages use only {${PLACEHOLDERS.join('}, {')}} ({${unknown}} is unknown)`);
      if (kind === 'invitation' && !template.includes('{link}'))
        throw fail(at, 'the invitation contains {link}');
    }
  }
}

/** A backTo whose value can never be submitted would silently never fire. */
function checkBackTo(service: Service, fail: (path: string, rule: string) => Error): void {
  service.stages.forEach((stage, si) => {
    stage.steps.forEach((step, pi) => {
      const field = step.form.fields.find((f) => f.id === step.backTo?.when.field);
      if (!step.backTo || !field) return;
      const { equals } = step.backTo.when;
      const fits =
        field.type === 'yesNo'
          ? typeof equals === 'boolean'
          : field.type === 'number'
            ? typeof equals === 'number'
            : field.type === 'choice'
              ? field.options.some((o) => o.value === equals)
              : typeof equals === 'string';
      if (!fits)
        throw fail(
          `$.stages[${si}].steps[${pi}].backTo.when.equals`,
          `backTo.when.equals is a value the ${field.type} field '${field.id}' can take`,
        );
    });
  });
}

function checkCatalog(dir: string, loaded: readonly Service[], catalogIds: readonly string[]): void {
  const ids = new Set(loaded.map((s) => s.id));
  const missing = loaded.find((s) => !catalogIds.includes(s.id));
  if (missing)
    throw new DefinitionError(
      `${display(join(dir, `${missing.id}.ts`))} is not listed in workflows/sources.ts`,
    );
  const extra = catalogIds.find((id) => !ids.has(id));
  if (extra)
    throw new DefinitionError(
      `workflows/sources.ts lists '${extra}' but ${display(join(dir, `${extra}.ts`))} does not exist`,
    );
}
