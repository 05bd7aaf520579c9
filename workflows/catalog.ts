import { normalizeService } from './normalize';
import type { Service } from './schema';
import carePlan from './services/care-plan';
import childDevelopment from './services/child-development';
import wasteCollection from './services/waste-collection';

// The services the runtime knows, as plain data. Listed by hand so bundlers include exactly these;
// loadServices() fails the synth when this list and workflows/services/ disagree.

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export const services: readonly Service[] = deepFreeze(
  [wasteCollection, childDevelopment, carePlan].map(normalizeService),
);

const byId = new Map(services.map((s) => [s.id, s]));

export function findService(id: string): Service | undefined {
  return byId.get(id);
}
