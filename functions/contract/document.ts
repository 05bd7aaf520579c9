import * as z from 'zod/mini';
import { FUNCTIONS, type FunctionManifest, type Route } from '../../lib/function-manifest';
import { gatewayError } from './responses';
import { type Answer, ROUTES, type RouteContract } from './routes';

// The published contract, OpenAPI 3.1: every route of the function manifest, with its parameters and
// bodies generated (zod 4's JSON Schema) from the very schemas its handler parses at the edge, and its
// answers from responses.ts. Built on request by the openapi function, never by the other functions.

type Json = Record<string, unknown>;

/** On every route: what API Gateway answers itself when the function could not (never the request's doing). */
const GATEWAY_FAILURE: Answer = {
  description:
    "API Gateway's own answer when the function could not answer (throttled, timed out, failed); a request never causes it.",
  json: gatewayError,
};

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a schema takes (`input`) or gives. */
function schemaOf(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const shapeOf = (schema: z.ZodMiniObject) => schema._zod.def.shape as Record<string, z.ZodMiniType>;

/**
 * The named members of an edge object (path, query, headers) as OpenAPI parameters. Routes of one
 * handler share its request schema: a path member is a parameter only of the routes whose path has it.
 */
function parameters(request: z.ZodMiniObject, path: string): Json[] {
  const shape = shapeOf(request);
  const found: Json[] = [];
  for (const [part, location] of [
    ['path', 'path'],
    ['query', 'query'],
    ['headers', 'header'],
  ] as const) {
    const member = shape[part];
    if (!member) continue;
    const json = schemaOf(member, 'input');
    const properties = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(properties)) {
      // The gateway's own header and the one the route decides by body are documented elsewhere.
      if (location === 'header' && name === 'content-type') continue;
      const inPath = location === 'path';
      const bare = name.replace(/\+$/, '');
      if (inPath && !path.includes(`{${bare}}`) && !path.includes(`{${bare}+}`)) continue;
      found.push({
        name: name.replace(/\+$/, ''),
        in: location,
        required: inPath || required.has(name),
        schema,
      });
    }
  }
  return found;
}

function requestBody(contract: RouteContract): Json | undefined {
  const body = shapeOf(contract.request).body;
  const types = contract.bodies ?? (body && { 'application/json': body });
  if (!types) return undefined;
  const content: Json = {};
  for (const [type, schema] of Object.entries(types)) content[type] = { schema: schemaOf(schema, 'input') };
  // A route that names its bodies needs one; otherwise the request schema says whether `body` is optional.
  const required = contract.bodies !== undefined || body?._zod.optin !== 'optional';
  return { required, content };
}

function response(answers: Answer[]): Json {
  const content: Json = {};
  let headers: Json | undefined;
  const json = answers.flatMap((a) => ('json' in a ? [schemaOf(a.json, 'output')] : []));
  // Several JSON answers of one status (the gateway's refusal or the function's): either one.
  if (json.length > 0)
    content['application/json'] = { schema: json.length === 1 ? json[0] : { anyOf: json } };
  for (const answer of answers) {
    if ('type' in answer) content[answer.type] = { schema: { type: 'string' } };
    else if ('redirect' in answer) headers = { Location: { required: true, schema: { type: 'string' } } };
  }
  return {
    description: answers.map((a) => a.description).join(' / '),
    ...(Object.keys(content).length > 0 && { content }),
    ...(headers && { headers }),
  };
}

function operation(name: string, manifest: FunctionManifest, route: Route, contract: RouteContract): Json {
  const body = requestBody(contract);
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string) => (c ?? '').toUpperCase())}`,
    summary: contract.summary,
    description: `Handled by the \`${name}\` function (${manifest.purpose}).${
      route.access === 'public' ? ` No gateway authorizer: ${route.why}` : ''
    }`,
    ...(route.access === 'staff' && { security: [{ staff: [] }] }),
    parameters: parameters(contract.request, route.path),
    ...(body && { requestBody: body }),
    responses: {
      ...Object.fromEntries(Object.entries(contract.answers).map(([status, a]) => [status, response(a)])),
      '5XX': response([GATEWAY_FAILURE]),
    },
  };
}

/** Every manifest route, as `<METHOD> <path>` with the function that serves it. */
export function manifestRoutes(): { key: string; name: string; manifest: FunctionManifest; route: Route }[] {
  return Object.entries(FUNCTIONS as Record<string, FunctionManifest>).flatMap(([name, manifest]) =>
    'routes' in manifest.trigger
      ? manifest.trigger.routes.map((route) => ({
          key: `${route.method} ${route.path}`,
          name,
          manifest,
          route,
        }))
      : [],
  );
}

export function openApiDocument(publicUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const { key, name, manifest, route } of manifestRoutes()) {
    const contract = ROUTES[key];
    if (!contract) throw new Error(`The contract has no entry for ${key} (functions/contract/*-routes.ts)`);
    const path = route.path.replace('{proxy+}', '{proxy}');
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: operation(name, manifest, route, contract),
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'coproduce',
      version: '1',
      summary:
        'Two-sided public services: a case moves on when both the citizen and the provider have done their part.',
      description:
        'Errors are `{ "error": { "code", "message", "details"? } }`; a client error is a 4xx, never a 5xx. Text follows one input policy everywhere: one line unless a form field takes lines, no control characters, no invisible formatting (such as U+202E), trimmed, with length limits. A header that comes twice is refused (API Gateway joins repeats with commas).',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        staff: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito ID token of provider staff; `custom:org` and `custom:orgKind` scope every request (a case of another organisation or kind is a 404).',
        },
      },
    },
    paths,
  };
}
