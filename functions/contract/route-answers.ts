import * as z from 'zod/mini';
import * as out from './responses';

// The parts a route's contract is written with (routes.ts): its answers, and the errors that every
// route of the API, and every staff route, may give besides its own.

/** One kind of answer: JSON of a schema, or a page, TwiML, a stylesheet, a redirect. */
export type Answer =
  | { description: string; json: z.ZodMiniType }
  | { description: string; type: 'text/html' | 'text/xml' | 'text/css' | 'text/csv' }
  | { description: string; redirect: true };

export interface RouteContract {
  summary: string;
  request: z.ZodMiniObject;
  /** The bodies by media type, where the request schema takes `body` as unknown (the domain checks it). */
  bodies?: Partial<Record<'application/json' | 'application/x-www-form-urlencoded', z.ZodMiniType>>;
  /** By status; several answers of one status are several media types (a page or its JSON). */
  answers: Record<string, Answer[]>;
}

export const json = (description: string, schema: z.ZodMiniType): Answer => ({ description, json: schema });
export const page = (description: string): Answer => ({ description, type: 'text/html' });
export const moved = (description: string): Answer => ({ description, redirect: true });
export const failed = (description: string) => json(description, out.errorBody);
export const form = z.record(z.string(), z.string());

/** What every JSON route of the API may answer besides its own success. */
const API_ERRORS: Record<string, Answer[]> = {
  '400': [failed('The request does not match this contract; `details.fields` names what failed.')],
  '404': [failed('No such resource, or one the caller may not reach (they look alike).')],
  '413': [failed('The body is larger than 64 KiB.')],
  '415': [failed('A body of another media type than the route takes.')],
};
export const STAFF_ERRORS: Record<string, Answer[]> = {
  ...API_ERRORS,
  '401': [
    json('API Gateway refused the token (missing, expired, another issuer).', out.gatewayError),
    failed('The token names no organisation (custom:org).'),
  ],
  '403': [failed('The token names no valid organisation kind, or one this action is not for.')],
};

/** A citizen form's body refused before it is read: too large, or not a form or JSON (a page or JSON). */
export const FORM_BODY_ERRORS: Record<string, Answer[]> = {
  '413': [page('Too large.'), failed('Too large.')],
  '415': [page('Another media type.'), failed('Another media type.')],
};
