import { API_ROUTES } from './api-routes';
import { CITIZEN_ROUTES } from './citizen-routes';
import { CONSOLE_ROUTES } from './console-routes';
import { DELEGATE_ROUTES } from './delegate-routes';
import type { RouteContract } from './route-answers';

// Per route of the function manifest (`<METHOD> <path>`): the request schema its handler parses (the
// edge), the bodies it takes where the edge leaves them to the domain, and what it answers. document.ts
// turns this into OpenAPI 3.1; a test holds it to the manifest (every route, no other). The routes
// are written per side: the staff API, the citizen's (and their helpers'), the console's.

export type { Answer, RouteContract } from './route-answers';

/** The tables as one; a route written in two of them is a mistake, not an override. */
export function joinRoutes(...tables: Record<string, RouteContract>[]): Record<string, RouteContract> {
  const all: Record<string, RouteContract> = {};
  for (const table of tables)
    for (const [key, contract] of Object.entries(table)) {
      if (key in all) throw new Error(`The contract has ${key} twice (functions/contract/*-routes.ts)`);
      all[key] = contract;
    }
  return all;
}

export const ROUTES = joinRoutes(API_ROUTES, CITIZEN_ROUTES, DELEGATE_ROUTES, CONSOLE_ROUTES);
