import { normalizeService } from './normalize';
import type { Service } from './schema';
import carePlan from './services/care-plan';
import childDevelopment from './services/child-development';
import wasteCollection from './services/waste-collection';

// The services as written, normalized. Listed by hand so that loadServices() can fail the synth when
// this list and workflows/services/ disagree. Bundles do not import this module: they get its result as
// JSON at build time (catalog.ts).

export function serviceSources(): Service[] {
  return [wasteCollection, childDevelopment, carePlan].map(normalizeService);
}

/** The catalog as bundles carry it (lib/constructs/handler-function.ts): a string of JSON. */
export function catalogJson(): string {
  return JSON.stringify(serviceSources());
}
