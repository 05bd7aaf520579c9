import { describe, expect, it } from 'vitest';
import {
  CaseErasedError,
  caseCipher,
  caseOwner,
  DATA_KEY_BYTES,
  dataCipher,
  newDataKey,
  roundOwner,
} from '../../../functions/domain/case-keys';
import { PiiVault } from '../../../functions/domain/pii';

// Each case has its own random data key, kept only wrapped by the stack's key and bound to its case;
// erasing the case is deleting that key.

const vault = new PiiVault('case-keys-test-key-0123456789abcdefghijkl');
const other = new PiiVault('another-stack-key-0123456789abcdefghijkl');

describe('data keys', () => {
  it('seals and opens with a fresh key per case, bound to that case', () => {
    const a = newDataKey(vault, caseOwner('a'));
    const b = newDataKey(vault, caseOwner('b'));
    expect(a.wrapped).not.toBe(b.wrapped);
    const sealed = a.cipher.seal('Anna de Vries');
    expect(sealed).toMatch(/^v2\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('Anna');
    expect(a.cipher.seal('Anna de Vries')).not.toBe(sealed); // a nonce per value
    expect(dataCipher(vault, caseOwner('a'), { dataKey: a.wrapped }).open(sealed)).toBe('Anna de Vries');
    // Another case's key, or this key moved to another case, opens nothing.
    expect(b.cipher.open(sealed)).toBeUndefined();
    expect(dataCipher(vault, caseOwner('b'), { dataKey: a.wrapped }).open(sealed)).toBeUndefined();
    expect(a.cipher.openJson(a.cipher.sealJson({ n: 1, ok: true }))).toEqual({ n: 1, ok: true });
  });

  it('wraps 256 random bits with the stack key, for one owner only', () => {
    const key = Buffer.alloc(DATA_KEY_BYTES, 7);
    const wrapped = vault.wrapKey(roundOwner('r1'), key);
    expect(vault.unwrapKey(roundOwner('r1'), wrapped)).toEqual(key);
    expect(() => vault.unwrapKey(roundOwner('r2'), wrapped)).toThrow();
    expect(() => other.unwrapKey(roundOwner('r1'), wrapped)).toThrow();
    const [version, iv, body, tag] = wrapped.split('.');
    const altered = [version, iv, `${body?.slice(0, -2)}AA`, tag].join('.');
    expect(() => vault.unwrapKey(roundOwner('r1'), altered)).toThrow();
  });

  it('opens nothing and seals nothing once the case is erased', () => {
    const key = newDataKey(vault, caseOwner('c1'));
    const sealed = key.cipher.seal('secret');
    const erased = caseCipher(vault, { caseId: 'c1', erased: { at: 'x', by: 'y' } });
    expect(erased.open(sealed)).toBeUndefined();
    expect(erased.openJson(sealed)).toBeUndefined();
    expect(() => erased.seal('new')).toThrow(CaseErasedError);
    // Even with the key still at hand: the erasure marker wins.
    expect(
      caseCipher(vault, { caseId: 'c1', dataKey: key.wrapped, erased: {} }).open(sealed),
    ).toBeUndefined();
  });

  it('keeps a case from before data keys on the stack key (v1), readable and writable', () => {
    const legacy = caseCipher(vault, { caseId: 'old' });
    const before = vault.encrypt('+31612345678');
    expect(legacy.open(before)).toBe('+31612345678');
    expect(legacy.open(legacy.seal('x'))).toBe('x');
    expect(legacy.seal('x')).toMatch(/^v1\./);
    // A keyed case still reads the v1 values it may hold from before.
    expect(newDataKey(vault, caseOwner('k')).cipher.open(before)).toBe('+31612345678');
  });

  it('opens nothing when the wrapped key belongs to another stack key, and refuses to seal', () => {
    const foreign = newDataKey(other, caseOwner('c1'));
    const cipher = caseCipher(vault, { caseId: 'c1', dataKey: foreign.wrapped });
    expect(cipher.open(foreign.cipher.seal('x'))).toBeUndefined();
    expect(() => cipher.seal('x')).toThrow(/does not unwrap/);
    expect(cipher.open('not sealed at all')).toBeUndefined();
  });
});
