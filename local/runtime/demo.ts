/**
 * Demo data: on the first start, one case of each service, created through the real API with a
 * local provider token. The citizen links are kept in DATA_DIR/demo.json, since the link tokens
 * themselves are never stored by the system and cannot be shown again otherwise.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalIssuer } from './jwt';

export interface DemoCase {
  serviceId: string;
  org: string;
  orgKind: string;
  caseId: string;
  citizenLink: string;
}

/** One organisation per kind of provider, so every service has someone to run it. */
export const DEMO_ORGS: Record<string, string> = {
  municipality: 'gemeente-utrecht',
  school: 'basisschool-de-regenboog',
  'care-provider': 'thuiszorg-west',
};

/** Example values of each service's context fields (what a round's CSV row would hold). */
export const SAMPLE_CONTEXT: Record<string, Record<string, string>> = {
  'waste-collection': { address: 'Containerstraat 1, 3511 AA Utrecht', collectionDate: '2026-12-15' },
  'child-development': { childName: 'Sam', group: 'groep 3' },
  'care-plan': { careNeed: 'Hulp bij het aankleden' },
};

export function providerToken(issuer: LocalIssuer, org: string, orgKind: string): string {
  return issuer.sign({
    sub: `staff-${org}`,
    email: `medewerker@${org}.example.nl`,
    'custom:org': org,
    'custom:orgKind': orgKind,
  });
}

interface ServiceSummary {
  id: string;
  providerKind?: string;
}

function servicesOf(body: unknown): ServiceSummary[] {
  const list = Array.isArray(body)
    ? body
    : ((body as { services?: unknown; items?: unknown }).services ?? (body as { items?: unknown }).items);
  return Array.isArray(list) ? (list as ServiceSummary[]) : [];
}

export async function ensureDemo(url: string, dataDir: string, issuer: LocalIssuer): Promise<DemoCase[]> {
  const file = join(dataDir, 'demo.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoCase[];
  const res = await fetch(`${url}/services`);
  if (!res.ok) throw new Error(`GET /services: ${res.status} ${await res.text()}`);
  const cases: DemoCase[] = [];
  let n = 0;
  for (const service of servicesOf(await res.json())) {
    const orgKind = service.providerKind ?? 'municipality';
    const org = DEMO_ORGS[orgKind] ?? 'gemeente-utrecht';
    n++;
    const created = await fetch(`${url}/cases`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${providerToken(issuer, org, orgKind)}`,
        'content-type': 'application/json',
        'idempotency-key': `demo-${service.id}`,
      },
      body: JSON.stringify({
        serviceId: service.id,
        citizen: { name: `Demo burger ${n}`, phone: `+3161234567${n}`, locale: 'nl' },
        reference: `demo-${service.id}`,
        ...(SAMPLE_CONTEXT[service.id] && { context: SAMPLE_CONTEXT[service.id] }),
      }),
    });
    const body = (await created.json()) as { caseId?: string; citizenLink?: string };
    if (!created.ok || !body.caseId || !body.citizenLink) {
      throw new Error(`POST /cases (${service.id}): ${created.status} ${JSON.stringify(body)}`);
    }
    cases.push({ serviceId: service.id, org, orgKind, caseId: body.caseId, citizenLink: body.citizenLink });
  }
  writeFileSync(file, JSON.stringify(cases, null, 2));
  return cases;
}
