import type middy from '@middy/core';

// Handlers whose domain needs a secret synchronously (the vault) load it before the handler runs.
// A module that holds such a secret registers its loader when it is imported; the middleware below
// runs every registered loader, so a handler loads exactly the secrets its own imports hold. It is
// part of every HTTP route (shared/http.ts); other handlers add it with `.use(loadSecrets())`.
// This module imports nothing at runtime: routes without secrets pay nothing for it.

type Loader = () => Promise<void>;
const loaders: Loader[] = [];

export function registerSecretLoader(loader: Loader): void {
  loaders.push(loader);
}

/** Before the handler: (re)loads the registered secrets (cached, so usually no request at all). */
export function loadSecrets(): middy.MiddlewareObj {
  return {
    before: async () => {
      await Promise.all(loaders.map((load) => load()));
    },
  };
}
