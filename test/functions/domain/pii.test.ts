import { describe, expect, it } from 'vitest';
import { PiiVault } from '../../../functions/domain/pii';

const KEY = 'a-pii-key-of-at-least-thirty-two-characters';
const OTHER = 'another-pii-key-of-at-least-thirty-two-chars';

describe('PiiVault keys', () => {
  it('is keyed at construction or later, with the same results', () => {
    const later = new PiiVault();
    later.useKey(KEY);
    const now = new PiiVault(KEY);
    expect(later.hash('+31612345678')).toBe(now.hash('+31612345678'));
    expect(now.decrypt(later.encrypt('Sanne'))).toBe('Sanne');
    expect(later.linkToken('case1')).toBe(now.linkToken('case1'));
  });

  it('takes a changed secret, and refuses a short one without losing the key it has', () => {
    const vault = new PiiVault(KEY);
    const before = vault.hash('x');
    vault.useKey(OTHER);
    expect(vault.hash('x')).not.toBe(before);
    expect(() => vault.useKey('short')).toThrow(/at least 32/);
    expect(vault.hash('x')).toBe(new PiiVault(OTHER).hash('x'));
  });

  it('refuses every use before it has a key', () => {
    const vault = new PiiVault();
    for (const use of [() => vault.hash('x'), () => vault.encrypt('x'), () => vault.decrypt('v1.a.b.c')])
      expect(use).toThrow(/PII key is not loaded/);
  });
});
