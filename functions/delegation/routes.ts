import { requireService } from '../domain/definitions';
import type { CaseRecord } from '../domain/model';
import { ValidationError } from '../shared/errors';
import { delegateBody, delegateIdParam, formBody } from './contract';
import { type AddedDelegate, addDelegate, type DelegationDeps, revokeDelegate } from './delegates';
import type { DelegateRecord } from './model';

// The delegates' routes of the citizen page, from a parsed body to the domain: JSON as it comes, the
// page's form through formBody. Bad input is a 400 naming the fields.

export async function addFromRequest(
  deps: DelegationDeps,
  record: CaseRecord,
  body: unknown,
  fromForm: boolean,
): Promise<AddedDelegate & { name: string }> {
  const raw = fromForm ? formBody((body ?? {}) as Record<string, string>) : body;
  const parsed = delegateBody.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? 'body')] ??= issue.message;
    throw new ValidationError(`Invalid helper: ${Object.keys(fields).join(', ')}`, { fields });
  }
  const added = await addDelegate(deps, requireService(record.serviceId), record, parsed.data);
  return { ...added, name: parsed.data.name };
}

export async function revokeFromRequest(
  deps: DelegationDeps,
  record: CaseRecord,
  delegateId: string,
): Promise<DelegateRecord> {
  if (!delegateIdParam.safeParse(delegateId).success)
    throw new ValidationError('Not a helper of this case.', { fields: { delegateId: 'Not a delegate id.' } });
  return revokeDelegate(deps, record, delegateId);
}
