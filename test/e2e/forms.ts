/** Valid answers for any step, built from the catalogue that GET /services serves. */
import type { LocalSystem, Loose } from './harness';

let catalogue: Loose[] | undefined;

export async function loadCatalogue(sys: LocalSystem): Promise<void> {
  // Again after a 5xx: with LOCAL_FAULTS on, an invocation may be throttled, as on AWS.
  let res = await sys.request('GET', '/services');
  for (let i = 0; res.status >= 500 && i < 8; i++) res = await sys.request('GET', '/services');
  const body = res.json as Loose;
  catalogue = Array.isArray(body) ? body : (body.items ?? body.services);
}

function stepDef(stepId: string, serviceId: string): Loose {
  const service = catalogue?.find((s) => s.id === serviceId);
  for (const stage of service?.stages ?? []) for (const s of stage.steps) if (s.id === stepId) return s;
  throw new Error(`no step ${serviceId}/${stepId} in the catalogue`);
}

/** Every required field filled (as strings, which both the web form and the API accept), plus overrides. */
export function answers(
  serviceId: string,
  stepId: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const data: Record<string, string> = {};
  const def = stepDef(stepId, serviceId);
  for (const f of (def.fields ?? def.form?.fields ?? []) as Loose[]) {
    if (f.required === false) continue;
    if (f.type === 'yesNo') data[f.id] = 'ja';
    else if (f.type === 'choice') data[f.id] = f.options[0].value;
    else if (f.type === 'number') data[f.id] = String(f.min ?? 1);
    else if (f.type === 'date') data[f.id] = '2030-01-15';
    else data[f.id] = 'e2e answer';
  }
  return { ...data, ...overrides };
}
