import type { DelegateIndex, DelegateRecord, DelegateStore } from '../../../functions/delegation/model';
import type { FakeRepository } from '../../support/fakes';

// The delegate store in memory, sharing the fake repository's link items (the citizen's link and the
// delegates' are one mechanism). Each conditional write is one synchronous check-and-set, as a
// DynamoDB condition expression is, and every read yields first, so concurrent calls interleave.

const tick = () => new Promise((resolve) => setImmediate(resolve));

export class MemoryDelegates implements DelegateStore {
  readonly items = new Map<string, DelegateRecord>();
  readonly indexes = new Map<string, DelegateIndex>();

  constructor(private readonly repo: FakeRepository) {}

  async delegateIndex(caseId: string): Promise<DelegateIndex> {
    await tick();
    return structuredClone(this.indexes.get(caseId) ?? { entries: {}, version: 0 });
  }

  async getDelegate(caseId: string, delegateId: string): Promise<DelegateRecord | undefined> {
    await tick();
    const found = this.items.get(`${caseId}/${delegateId}`);
    return found && structuredClone(found);
  }

  async addDelegate(
    record: DelegateRecord,
    linkHash: string,
    index: DelegateIndex & { expired: string[] },
    ttl: number,
  ): Promise<boolean> {
    await tick();
    const current = this.indexes.get(record.caseId) ?? { entries: {}, version: 0 };
    if (current.version !== index.version || ttl <= 0) return false;
    const entries = { ...current.entries, [record.delegateId]: record.expiresAt };
    for (const id of index.expired) delete entries[id];
    this.indexes.set(record.caseId, { entries, version: current.version + 1 });
    const links = this.repo.links as Map<string, { caseId: string; expiresAt: string; delegateId?: string }>;
    const link = links.get(linkHash);
    if (link && (link.caseId !== record.caseId || link.delegateId !== record.delegateId))
      throw new Error('ConditionalCheckFailedException: a link of another case or delegate');
    links.set(linkHash, {
      caseId: record.caseId,
      expiresAt: record.expiresAt,
      delegateId: record.delegateId,
    });
    // Entered again (the same one-time key): the item stays as first written.
    const key = `${record.caseId}/${record.delegateId}`;
    if (!this.items.has(key)) this.items.set(key, structuredClone(record));
    return true;
  }

  async revokeDelegate(caseId: string, delegateId: string, at: string): Promise<boolean> {
    await tick();
    const item = this.items.get(`${caseId}/${delegateId}`);
    if (!item || item.revokedAt !== undefined) return false;
    item.revokedAt = at;
    const index = this.indexes.get(caseId);
    if (index) delete index.entries[delegateId];
    return true;
  }
}
