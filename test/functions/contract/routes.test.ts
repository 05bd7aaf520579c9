import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../functions/contract/api-routes';
import { CITIZEN_ROUTES } from '../../../functions/contract/citizen-routes';
import { CONSOLE_ROUTES } from '../../../functions/contract/console-routes';
import { DELEGATE_ROUTES } from '../../../functions/contract/delegate-routes';
import { joinRoutes, ROUTES } from '../../../functions/contract/routes';

// The contract is written per side; joined, every route is there once, as its side wrote it.

describe('the route contract', () => {
  it('holds every route of every side, as that side wrote it', () => {
    const sides = [API_ROUTES, CITIZEN_ROUTES, DELEGATE_ROUTES, CONSOLE_ROUTES];
    const count = sides.reduce((n, side) => n + Object.keys(side).length, 0);
    expect(Object.keys(ROUTES)).toHaveLength(count);
    for (const side of sides)
      for (const [key, contract] of Object.entries(side)) expect(ROUTES[key]).toBe(contract);
  });

  it('refuses a route written on two sides instead of letting one override the other', () => {
    const contract = Object.values(API_ROUTES)[0];
    if (!contract) throw new Error('the staff API has no routes');
    expect(() => joinRoutes({ 'GET /x': contract }, { 'GET /x': contract })).toThrow(/GET \/x twice/);
    expect(Object.keys(joinRoutes({ 'GET /x': contract }, { 'GET /y': contract }))).toEqual([
      'GET /x',
      'GET /y',
    ]);
  });
});
