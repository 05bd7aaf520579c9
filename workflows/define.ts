import type { ServiceInput } from './schema';

/** Types a service definition without pulling the schema into runtime bundles. */
export function defineService(definition: ServiceInput): ServiceInput {
  return definition;
}
