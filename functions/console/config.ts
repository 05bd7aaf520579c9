import { optionalEnv, requireEnv } from '../shared/env';
import type { OidcConfig } from './oidc';

// The user pool's managed login, set by the stack; the local runtime points them at its issuer.
const issuer = requireEnv('ISSUER').replace(/\/+$/, '');

export const oidcConfig: OidcConfig = {
  domain: requireEnv('COGNITO_DOMAIN').replace(/\/+$/, ''),
  clientId: requireEnv('CLIENT_ID'),
  issuer,
  callbackUrl: requireEnv('CALLBACK_URL'),
  logoutUrl: requireEnv('LOGOUT_URL'),
  // Cognito publishes the pool's keys under the issuer; JWKS_URL overrides that where it differs.
  jwksUrl: optionalEnv('JWKS_URL') ?? `${issuer}/.well-known/jwks.json`,
};
