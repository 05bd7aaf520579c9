import { describe, expect, it } from 'vitest';
import { buildStylesheet, styleFileName } from '../../../functions/pages/style-build';
import { STYLE_FILE } from '../../../functions/pages/style-file';
import { STYLESHEET } from '../../../functions/pages/stylesheet';

describe('the bundled stylesheet', () => {
  it('is what the generator makes from the installed NL Design System packages', () => {
    const css = buildStylesheet();
    // Run `npx tsx functions/pages/style-build.ts` (then biome) when this fails after an update.
    expect(STYLESHEET).toBe(css);
    expect(STYLE_FILE).toBe(styleFileName(css));
    // Only the chosen components, and the tokens they use: small enough for the Lambda bundle.
    expect(css).toContain('.utrecht-form-field-error-message{');
    expect(css).not.toContain('.utrecht-accordion');
    expect(css.length).toBeLessThan(100_000);
  });
});
