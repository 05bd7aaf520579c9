import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

// The stack's key (the PII key secret) and what is derived from it: the keyed hash for look-ups, the
// key that wraps every case's and round's own data key (case-keys.ts), and the stack-level cipher (v1)
// for what must outlive a case's key (an erasure's reason) and for data sealed before per-case keys.
// All AES-256-GCM, so a table export or a stray log of an item reveals no phone number or name.

const GCM_IV_BYTES = 12;

export class PiiVault {
  private keys?: { secret: string; hash: Buffer; encrypt: Buffer; wrap: Buffer };

  /** Without a secret the vault is empty until `useKey`: a Lambda reads the key at runtime. */
  constructor(secret?: string) {
    if (secret !== undefined) this.useKey(secret);
  }

  /** Keys the vault (again: a no-op while the secret is the same). */
  useKey(secret: string): void {
    if (this.keys?.secret === secret) return;
    const master = Buffer.from(secret, 'utf8');
    if (master.length < 32) throw new Error('PII key must be at least 32 characters');
    this.keys = {
      secret,
      hash: createHmac('sha256', master).update('coproduce:hash').digest(),
      encrypt: createHmac('sha256', master).update('coproduce:encrypt').digest(),
      wrap: createHmac('sha256', master).update('coproduce:wrap').digest(),
    };
  }

  private get hashKey(): Buffer {
    return this.loaded().hash;
  }

  private get encKey(): Buffer {
    return this.loaded().encrypt;
  }

  private loaded() {
    if (!this.keys)
      throw new Error(
        'The PII key is not loaded: the handler must run the loadSecrets() middleware (shared/secret-loading.ts) before it uses the vault',
      );
    return this.keys;
  }

  hash(value: string): string {
    return createHmac('sha256', this.hashKey).update(value).digest('base64url');
  }

  /** Sealed under the stack's key (v1): not erasable per case; see case-keys.ts for case data. */
  encrypt(value: string): string {
    return seal('v1', this.encKey, Buffer.from(value, 'utf8'));
  }

  decrypt(sealed: string): string {
    return unseal('v1', this.encKey, sealed).toString('utf8');
  }

  /** A data key wrapped for its owner ('case:<id>', 'round:<id>'): it unwraps for that owner only. */
  wrapKey(owner: string, key: Buffer): string {
    return seal('k1', this.loaded().wrap, key, owner);
  }

  unwrapKey(owner: string, wrapped: string): Buffer {
    return unseal('k1', this.loaded().wrap, wrapped, owner);
  }

  /**
   * The citizen link secret: 128 bits derived from the case id, so the invitation SMS and an
   * idempotent replay of POST /cases give the same link without storing it. Only its hash is stored.
   */
  linkToken(caseId: string, version = 1): string {
    return createHmac('sha256', this.hashKey)
      .update(`link:${caseId}:${version}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}

/** `<version>.<iv>.<ciphertext>.<tag>`, base64url; `bound` (the owner) is authenticated, not stored. */
export function seal(version: string, key: Buffer, plain: Buffer, bound?: string): string {
  const iv = randomBytes(GCM_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (bound !== undefined) cipher.setAAD(Buffer.from(bound, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [version, iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Throws on another version, a wrong key or owner, or a value that was changed. */
export function unseal(version: string, key: Buffer, sealed: string, bound?: string): Buffer {
  const [v, iv, body, tag] = sealed.split('.');
  if (v !== version || !iv || body === undefined || !tag) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  if (bound !== undefined) decipher.setAAD(Buffer.from(bound, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Normalises a phone number to E.164; Dutch national numbers (06...) become +31. The national trunk
 * prefix written after a country code, '+31 (0)6 ...' as Dutch letterheads and e-mail signatures
 * have it, is left out.
 */
export function normalizePhone(input: string): string | undefined {
  let p = input.replace(/^(\s*(?:\+|00)\s*[1-9]\d{0,2})\s*\(0\)/, '$1').replace(/[\s\-().]/g, '');
  if (p.startsWith('00')) p = `+${p.slice(2)}`;
  else if (/^0[1-9]/.test(p)) p = `+31${p.slice(1)}`;
  return /^\+[1-9]\d{7,14}$/.test(p) ? p : undefined;
}
