import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The catalog and the message renderer go into every Lambda bundle; the schema (classic zod) must not.

describe('runtime bundle of the catalog', () => {
  it('contains the definitions but neither the schema nor zod', async () => {
    const result = await build({
      entryPoints: ['workflows/catalog.ts', 'functions/domain/messages.ts', 'functions/domain/gsm7.ts'],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      outdir: 'out',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('workflows/services/care-plan.ts');
    expect(inputs).not.toContain('workflows/schema.ts');
    expect(inputs.filter((i) => i.includes('node_modules'))).toEqual([]);
  });
});
