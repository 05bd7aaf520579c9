/**
 * The local token issuer: an RS256 key pair generated once in DATA_DIR. Tokens look like the ID
 * tokens of the Cognito user pool the template's JWT authorizer trusts (same iss and aud).
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IssuerConfig {
  issuer: string;
  audience: string[];
}

export type Claims = Record<string, string | number | boolean | string[]>;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Tokens whose signature was checked, at most this many (the console and the bench reuse a few). */
const VERIFIED_LIMIT = 1000;

export class LocalIssuer {
  private readonly publicKey: KeyObject;
  /**
   * Tokens with a good RS256 signature, and their claims. The signature depends only on the token's
   * text and this issuer's key, so it is checked once per token; iss, aud, exp and nbf are checked on
   * every request. The RSA check was most of the JWT authorizer's time on the main thread.
   */
  private readonly verified = new Map<string, Claims>();
  /**
   * The time tokens are issued and checked at: the runtime sets the engine clock (clock.ts), because
   * the console checks the same tokens' exp in a function, which lives on the engine clock.
   */
  now: () => number = () => Date.now();

  constructor(
    private readonly privateKey: KeyObject,
    readonly config: IssuerConfig,
  ) {
    this.publicKey = createPublicKey(privateKey);
  }

  /** Loads the key from `dataDir`, generating it on first use. */
  static open(dataDir: string, config: IssuerConfig): LocalIssuer {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'jwt-signing-key.pem');
    if (!existsSync(file)) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    return new LocalIssuer(createPrivateKey(readFileSync(file)), config);
  }

  sign(claims: Claims, ttlSeconds = 12 * 3600, nowSec = Math.floor(this.now() / 1000)): string {
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'local' }));
    const body = {
      iss: this.config.issuer,
      aud: this.config.audience[0] ?? 'local',
      token_use: 'id',
      iat: nowSec,
      exp: nowSec + ttlSeconds,
      ...claims,
    };
    const input = `${header}.${b64url(JSON.stringify(body))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), this.privateKey))}`;
  }

  /** Claims of a valid token (signature, alg, iss, aud or client_id, exp, nbf), else undefined. */
  verify(token: string, config: IssuerConfig = this.config, nowSec = this.now() / 1000): Claims | undefined {
    try {
      const claims = this.verified.get(token) ?? this.signed(token);
      if (!claims) return undefined;
      if (claims.iss !== config.issuer) return undefined;
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud ?? claims.client_id];
      if (config.audience.length > 0 && !aud.some((a) => config.audience.includes(String(a))))
        return undefined;
      if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return undefined;
      if (typeof claims.nbf === 'number' && claims.nbf > nowSec) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }

  /** The claims of a token this issuer signed (RS256), remembered; else undefined. Throws on bad JSON. */
  private signed(token: string): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h, p, s] = parts as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'RS256') return undefined;
    if (!verify('sha256', Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, 'base64url')))
      return undefined;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Claims;
    if (this.verified.size >= VERIFIED_LIMIT) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }
}
