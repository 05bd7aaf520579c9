import { randomBytes } from 'node:crypto';
import { ConflictError } from '../shared/errors';
import { type PiiVault, seal, unseal } from './pii';

// Per-case (and per-round) data keys. Every case gets a random 256-bit key when it is created; the key
// is stored only wrapped by the stack's key (PiiVault.wrapKey, bound to the case), next to the data it
// seals. Everything personal of the case (contact data, reference, context, answers, reasons) is sealed
// with it (v2, AES-256-GCM, bound to the case id), so erasing the case is deleting its key: what is
// left anywhere (an index, a copy, a file) can no longer be read. A round's rows are sealed the same way
// with the round's own key.
//
// Cases created before data keys existed have none: their data was sealed with the stack's key (v1),
// which this cipher still opens and keeps using for them.

export const DATA_KEY_BYTES = 32;

export interface DataCipher {
  /** Sealed text; throws for an erased case, which takes no personal data any more. */
  seal(text: string): string;
  /** The text, or undefined when it cannot be read (erased, or not sealed for this owner). */
  open(sealed: string | undefined): string | undefined;
  sealJson(value: unknown): string;
  openJson<T>(sealed: string | undefined): T | undefined;
}

/** Whose key: 'case:<caseId>' or 'round:<roundId>'. It is authenticated with every sealed value. */
export const caseOwner = (caseId: string) => `case:${caseId}`;
export const roundOwner = (roundId: string) => `round:${roundId}`;

export class CaseErasedError extends ConflictError {
  constructor() {
    super('CASE_ERASED', "The case's personal data was erased; it takes no new data.", { erased: true });
  }
}

abstract class Cipher implements DataCipher {
  abstract seal(text: string): string;
  abstract open(sealed: string | undefined): string | undefined;

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string | undefined): T | undefined {
    const text = this.open(sealed);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }
}

class KeyCipher extends Cipher {
  constructor(
    private readonly vault: PiiVault,
    private readonly owner: string,
    private readonly key: Buffer,
  ) {
    super();
  }

  seal(text: string): string {
    return seal('v2', this.key, Buffer.from(text, 'utf8'), this.owner);
  }

  open(sealed: string | undefined): string | undefined {
    if (sealed === undefined) return undefined;
    try {
      if (sealed.startsWith('v1.')) return this.vault.decrypt(sealed);
      return unseal('v2', this.key, sealed, this.owner).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** A case from before data keys: its values stay under the stack's key (v1). */
class StackCipher extends Cipher {
  constructor(private readonly vault: PiiVault) {
    super();
  }

  seal(text: string): string {
    return this.vault.encrypt(text);
  }

  open(sealed: string | undefined): string | undefined {
    if (sealed === undefined) return undefined;
    try {
      return this.vault.decrypt(sealed);
    } catch {
      return undefined;
    }
  }
}

/** An erased case: nothing can be read, nothing new is taken. */
class ErasedCipher extends Cipher {
  seal(): string {
    throw new CaseErasedError();
  }

  open(): undefined {
    return undefined;
  }
}

const ERASED = new ErasedCipher();

/** A key wrapped under another stack key (or altered): nothing opens, and nothing may be sealed. */
class UnwrappableCipher extends Cipher {
  constructor(private readonly owner: string) {
    super();
  }

  seal(): string {
    throw new Error(`The data key of ${this.owner} does not unwrap with this stack's key`);
  }

  open(): undefined {
    return undefined;
  }
}

/** A fresh data key for a new case or round: the wrapped form to store, and its cipher. */
export function newDataKey(vault: PiiVault, owner: string): { wrapped: string; cipher: DataCipher } {
  const key = randomBytes(DATA_KEY_BYTES);
  return { wrapped: vault.wrapKey(owner, key), cipher: new KeyCipher(vault, owner, key) };
}

/**
 * The cipher of a stored owner: its own key when it has one, nothing at all once erased, the stack's
 * key for a case from before data keys. A wrapped key that does not unwrap for this owner (another
 * stack's key, or a key moved from another case) opens nothing: a view then shows nothing personal
 * rather than failing, and a write fails.
 */
export function dataCipher(
  vault: PiiVault,
  owner: string,
  stored: { dataKey?: string; erased?: unknown },
): DataCipher {
  if (stored.erased !== undefined) return ERASED;
  if (stored.dataKey === undefined) return new StackCipher(vault);
  let key: Buffer;
  try {
    key = vault.unwrapKey(owner, stored.dataKey);
  } catch {
    return new UnwrappableCipher(owner);
  }
  return new KeyCipher(vault, owner, key);
}

/** The cipher of a case record. */
export function caseCipher(
  vault: PiiVault,
  record: { caseId: string; dataKey?: string; erased?: unknown },
): DataCipher {
  return dataCipher(vault, caseOwner(record.caseId), record);
}
