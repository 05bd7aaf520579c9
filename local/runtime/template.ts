/**
 * Reads the synthesized cloud assembly: the stack template and the asset manifest that maps each
 * Lambda function's S3Key to the asset folder `cdk synth` bundled it into.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Parameters?: Record<string, { Default?: unknown }>;
  Resources: Record<string, CfnResource>;
}

export interface Assembly {
  dir: string;
  stackName: string;
  template: CfnTemplate;
  /** S3 object key of a file asset -> absolute path of its folder in the assembly. */
  assetPaths: Map<string, string>;
}

interface AssetManifest {
  files?: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The stack to run: STACK if given, else the one stack in the assembly (coproduce-dev first). */
export function loadAssembly(dir: string, stack = process.env.STACK): Assembly {
  const templates = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.template.json')) : [];
  const names = templates.map((f) => f.slice(0, -'.template.json'.length));
  const stackName = stack ?? (names.includes('coproduce-dev') ? 'coproduce-dev' : names[0]);
  if (stackName === undefined || !names.includes(stackName)) {
    throw new Error(`No stack template ${stack ?? ''} in ${dir} (found: ${names.join(', ') || 'none'})`);
  }
  const template = readJson<CfnTemplate>(join(dir, `${stackName}.template.json`));
  const assetPaths = new Map<string, string>();
  const manifestFile = join(dir, `${stackName}.assets.json`);
  if (existsSync(manifestFile)) {
    for (const asset of Object.values(readJson<AssetManifest>(manifestFile).files ?? {})) {
      for (const dest of Object.values(asset.destinations)) {
        assetPaths.set(dest.objectKey, join(dir, asset.source.path));
      }
    }
  }
  // Without an asset manifest (e.g. a synth stopped by validation errors), the folder name is the hash.
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('asset.') && !assetPaths.has(`${entry.slice(6)}.zip`)) {
      assetPaths.set(`${entry.slice(6)}.zip`, join(dir, entry));
    }
  }
  return { dir, stackName, template, assetPaths };
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
