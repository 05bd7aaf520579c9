/** Case-level steps of the e2e scenarios, all through the public HTTP API. */
import { SAMPLE_CONTEXT } from '../../local/runtime/demo';
import { eventually, type LocalSystem, type Loose } from './harness';

export const ORG = 'gemeente-e2e';

export interface Created {
  caseId: string;
  linkToken: string;
  phone: string;
}

let phones = 0;
/** A distinct phone number per case, so inbound SMS always has one open step to answer. */
export const nextPhone = () =>
  `+316${String(process.pid % 1000).padStart(3, '0')}${String(++phones).padStart(5, '0')}`;

export async function createCase(
  sys: LocalSystem,
  serviceId: string,
  token: string,
  phone = nextPhone(),
): Promise<Created> {
  const res = await sys.request('POST', '/cases', {
    token,
    json: {
      serviceId,
      citizen: { name: 'E2E Burger', phone, locale: 'nl' },
      reference: 'e2e',
      context: SAMPLE_CONTEXT[serviceId] ?? {},
    },
  });
  if (res.status !== 201) throw new Error(`POST /cases ${res.status}: ${res.text}`);
  const link = String(res.json.citizenLink);
  return { caseId: String(res.json.caseId), linkToken: link.slice(link.lastIndexOf('/c/') + 3), phone };
}

export async function getCase(sys: LocalSystem, caseId: string, token: string): Promise<Loose> {
  const res = await sys.request('GET', `/cases/${caseId}`, { token });
  if (res.status !== 200) throw new Error(`GET /cases/${caseId} ${res.status}: ${res.text}`);
  return res.json;
}

export function step(view: Loose, stepId: string): Loose {
  return (view.steps as Loose[]).find((s) => s.stepId === stepId);
}

/** Waits until the step is open (its visit, if given, reached), and returns the case view. */
export function stepOpen(sys: LocalSystem, caseId: string, stepId: string, token: string, ms = 10_000) {
  return eventually(
    async () => {
      const view = await getCase(sys, caseId, token);
      return step(view, stepId)?.status === 'OPEN' ? view : undefined;
    },
    `${stepId} open`,
    ms,
  );
}

export function caseStatus(sys: LocalSystem, caseId: string, token: string, status: string, ms = 10_000) {
  return eventually(
    async () => {
      const view = await getCase(sys, caseId, token);
      return view.status === status ? view : undefined;
    },
    `case ${status}`,
    ms,
  );
}

export function provider(
  sys: LocalSystem,
  caseId: string,
  stepId: string,
  token: string,
  data: Record<string, unknown>,
) {
  return sys.request('POST', `/cases/${caseId}/steps/${stepId}`, { token, json: { data } });
}

const csrfOf = new Map<string, string>();

export async function openPage(sys: LocalSystem, linkToken: string) {
  const page = await sys.request('GET', `/c/${linkToken}`);
  const found = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (found) csrfOf.set(linkToken, found);
  return page;
}

/**
 * As a browser does it: load the citizen page, then post the form with the page's CSRF value.
 * A page without a form for the step (it is closed) still has a tab with the earlier form open.
 */
export async function citizenWeb(
  sys: LocalSystem,
  linkToken: string,
  stepId: string,
  data: Record<string, string>,
) {
  await openPage(sys, linkToken);
  const csrf = csrfOf.get(linkToken) ?? '';
  return sys.request('POST', `/c/${linkToken}/steps/${stepId}`, { form: { _csrf: csrf, ...data } });
}

export const ok = (status: number) => status >= 200 && status < 400;
