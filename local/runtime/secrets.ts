/**
 * Secrets Manager for the template's AWS::SecretsManager::Secret resources: GetSecretValue (AWS JSON
 * 1.1, by name, ARN or partial ARN) on the local AWS endpoint, and the values of `{{resolve:...}}`
 * references in older templates. Values live in DATA_DIR/secrets.json (mode 600):
 * - a generated secret gets a value once, drawn as GenerateSecretString says, and keeps it: a new
 *   PII key would make every stored hash and ciphertext useless. The `PII_KEY` entry of data dirs
 *   written before secrets had names becomes the value of the PII key secret, so their cases stay readable;
 * - the Twilio auth token (a secret whose name ends in `twilio-auth-token`) is TWILIO_AUTH_TOKEN, or
 *   the documented development default, and is not stored.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { physicalName, secretArn, secretArnPrefix, stableUuid } from './names';
import { type ResolveContext, resolve } from './resolve';
import { awsJsonError, callerOf, type ServiceGuard, type ServiceHandler } from './services';
import { resourcesOfType } from './template';

/** Documented development default for the Twilio auth token (signatures, the Twilio API emulator). */
export const DEV_TWILIO_AUTH_TOKEN = 'dev-twilio-auth-token';
export const localTwilioToken = (): string => process.env.TWILIO_AUTH_TOKEN || DEV_TWILIO_AUTH_TOKEN;

interface Generate {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeLowercase?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
}

export interface SecretSpec {
  logicalId: string;
  name: string;
  arn: string;
  generate?: Generate;
  secretString?: string;
}

type Kind = 'pii' | 'twilio' | 'plain';

export function secretSpecs(ctx: ResolveContext): SecretSpec[] {
  return resourcesOfType(ctx.template, 'AWS::SecretsManager::Secret').map(([id, r]) => {
    const p = resolve(ctx, r.Properties ?? {}) as Record<string, unknown>;
    const name = physicalName(ctx, id);
    return {
      logicalId: id,
      name,
      arn: secretArn(name),
      ...(typeof p.GenerateSecretString === 'object' ? { generate: p.GenerateSecretString as Generate } : {}),
      ...(typeof p.SecretString === 'string' ? { secretString: p.SecretString } : {}),
    };
  });
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A password as Secrets Manager's GetRandomPassword draws it (the same options and defaults). */
export function generatePassword(g: Generate = {}): string {
  const exclude = new Set(g.ExcludeCharacters ?? '');
  const groups = [
    g.ExcludeLowercase ? '' : 'abcdefghijklmnopqrstuvwxyz',
    g.ExcludeUppercase ? '' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    g.ExcludeNumbers ? '' : '0123456789',
    g.ExcludePunctuation ? '' : PUNCTUATION,
    g.IncludeSpace ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((c) => !exclude.has(c)).join(''))
    .filter((chars) => chars.length > 0);
  const all = groups.join('');
  const length = g.PasswordLength ?? 32;
  if (all.length === 0 || length < groups.length)
    throw new Error('GenerateSecretString leaves no characters');
  for (;;) {
    let out = '';
    for (let i = 0; i < length; i++) out += all[randomInt(all.length)];
    if (
      g.RequireEachIncludedType === false ||
      groups.every((chars) => [...out].some((c) => chars.includes(c)))
    )
      return out;
  }
}

interface Stored {
  value: string;
  versionId: string;
  /** Epoch milliseconds. */
  created: number;
}

interface SecretsFile {
  version: 2;
  secrets: Record<string, Stored>;
}

export class LocalSecrets {
  private readonly file: string;
  private readonly data: SecretsFile;
  /** PII_KEY of a data dir from before secrets had names (the version-1 file). */
  private readonly legacyPiiKey: string | undefined;
  private readonly kinds = new Map<string, Kind>();
  private readonly started = Date.now();
  /** IAM for the callers (set by the runtime). */
  guard: ServiceGuard = {};

  constructor(
    dataDir: string,
    readonly specs: SecretSpec[],
  ) {
    this.file = join(dataDir, 'secrets.json');
    const raw = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>)
      : {};
    if (raw.version === 2) this.data = raw as unknown as SecretsFile;
    else {
      this.data = { version: 2, secrets: {} };
      if (typeof raw.PII_KEY === 'string') this.legacyPiiKey = raw.PII_KEY;
    }
    for (const s of specs) {
      if (/twilio-auth-token$/i.test(s.name)) this.kinds.set(s.name, 'twilio');
      else if (/(^|[/_-])pii-key$/i.test(s.name)) this.kinds.set(s.name, 'pii');
    }
  }

  /** The secret a SecretId names: its name, its ARN, or its ARN without the random suffix. */
  find(secretId: string): SecretSpec | undefined {
    return this.specs.find(
      (s) => s.name === secretId || s.arn === secretId || s.arn.slice(0, -7) === secretId,
    );
  }

  /** The local Twilio auth token: the value of the template's Twilio secret, or the local default. */
  twilioToken(): string {
    return localTwilioToken();
  }

  current(spec: SecretSpec): Stored {
    const kind = this.kinds.get(spec.name) ?? 'plain';
    if (kind === 'twilio') {
      const value = localTwilioToken();
      return { value, versionId: stableUuid(`${spec.arn}:${value}`), created: this.started };
    }
    let stored = this.data.secrets[spec.name];
    if (!stored) {
      const value =
        kind === 'pii' && this.legacyPiiKey !== undefined
          ? this.legacyPiiKey
          : (spec.secretString ?? fresh(spec));
      stored = { value, versionId: randomUUID(), created: Date.now() };
      this.data.secrets[spec.name] = stored;
      this.save();
    }
    return stored;
  }

  private save(): void {
    writeFileSync(this.file, JSON.stringify(this.data, null, 2), { mode: 0o600 });
    chmodSync(this.file, 0o600); // an older file may have been created with wider permissions
  }

  /**
   * A `{{resolve:secretsmanager:ID:SecretString:KEY:STAGE:VERSION}}` reference. Older templates put
   * secret values straight into the environment; the variable name says which secret it was.
   */
  dynamicReference(reference: string, variable: string | undefined): string {
    const m = /^\{\{resolve:secretsmanager:(.+?):SecretString:([^:]*):([^:]*):([^:]*)\}\}$/.exec(reference);
    if (!m) throw new Error(`Unsupported dynamic reference ${reference}`);
    const spec = this.find(m[1] as string);
    if (!spec) throw new Error(`Dynamic reference to a secret not in the template: ${m[1]}`);
    if (variable === 'TWILIO_AUTH_TOKEN') this.kinds.set(spec.name, 'twilio');
    if (variable === 'PII_KEY') this.kinds.set(spec.name, 'pii');
    const value = this.current(spec).value;
    return m[2] ? String((JSON.parse(value) as Record<string, unknown>)[m[2]]) : value;
  }

  /** GetSecretValue on the local AWS endpoint (`secretsmanager.*`, AWS JSON 1.1). */
  readonly handle: ServiceHandler = (req, res) => {
    if (!req.target.startsWith('secretsmanager.')) return false;
    const fail = (status: number, type: string, message: string) =>
      awsJsonError(res, status, type, message, '1.1');
    if (req.target !== 'secretsmanager.GetSecretValue') {
      fail(400, 'UnknownOperationException', `${req.target.slice(15)} is not emulated locally`);
      return true;
    }
    let input: { SecretId?: unknown; VersionId?: unknown; VersionStage?: unknown };
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      fail(400, 'SerializationException', 'Invalid JSON');
      return true;
    }
    if (typeof input.SecretId !== 'string' || input.SecretId.length === 0) {
      fail(
        400,
        'ValidationException',
        "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
      );
      return true;
    }
    const spec = this.find(input.SecretId);
    // IAM decides before existence: the resource is the secret, or the ARN the caller named.
    const resource =
      spec?.arn ??
      (input.SecretId.startsWith('arn:') ? input.SecretId : `${secretArnPrefix(input.SecretId)}-??????`);
    const verdict = this.guard.iam?.check(callerOf(this.guard, req), [
      {
        action: 'secretsmanager:GetSecretValue',
        resource,
        context: new Map([['secretsmanager:secretid', [resource]]]),
      },
    ]);
    if (verdict && !verdict.allowed) {
      fail(400, 'AccessDeniedException', verdict.message);
      return true;
    }
    if (!spec) {
      fail(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return true;
    }
    const stored = this.current(spec);
    if (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT') {
      fail(
        400,
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${String(input.VersionStage)}`,
      );
      return true;
    }
    if (input.VersionId !== undefined && input.VersionId !== stored.versionId) {
      fail(
        400,
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${String(input.VersionId)}`,
      );
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
      JSON.stringify({
        ARN: spec.arn,
        Name: spec.name,
        VersionId: stored.versionId,
        SecretString: stored.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: stored.created / 1000,
      }),
    );
    return true;
  };
}

function fresh(spec: SecretSpec): string {
  const g = spec.generate;
  const password = generatePassword(g);
  if (g?.SecretStringTemplate === undefined) return password;
  const template = JSON.parse(g.SecretStringTemplate) as Record<string, unknown>;
  return JSON.stringify({ ...template, [g.GenerateStringKey ?? 'password']: password });
}
