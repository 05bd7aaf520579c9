import { describe, expect, it } from 'vitest';
import { errorLine } from '../../../functions/pages/i18n';

describe('a line of an error summary', () => {
  it('puts a colon after a label, in the reader’s language', () => {
    expect(errorLine('Opmerking', 'Use at most 20 characters.', 'nl')).toBe(
      'Opmerking: Gebruik hoogstens 20 tekens.',
    );
    expect(errorLine('Note', 'Use at most 20 characters.', 'en')).toBe('Note: Use at most 20 characters.');
  });

  it('adds none after a label that ends in its own mark, such as a question', () => {
    expect(errorLine('Ging de samenwerking goed?', 'This field is required.', 'nl')).not.toContain('?:');
    expect(errorLine('Ging de samenwerking goed?', 'Answer yes or no.', 'en')).toBe(
      'Ging de samenwerking goed? Answer yes or no.',
    );
  });
});
