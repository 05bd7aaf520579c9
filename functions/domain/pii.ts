import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

// Personal data is looked up by keyed hash and kept only encrypted (AES-256-GCM), so a
// table export or a stray log of an item does not reveal phone numbers or names.

export class PiiVault {
  private keys?: { secret: string; hash: Buffer; encrypt: Buffer };

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

  encrypt(value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
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

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Normalises a phone number to E.164; Dutch national numbers (06...) become +31. */
export function normalizePhone(input: string): string | undefined {
  let p = input.replace(/[\s\-().]/g, '');
  if (p.startsWith('00')) p = `+${p.slice(2)}`;
  else if (/^0[1-9]/.test(p)) p = `+31${p.slice(1)}`;
  return /^\+[1-9]\d{7,14}$/.test(p) ? p : undefined;
}
