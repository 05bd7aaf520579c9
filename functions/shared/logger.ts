import type { Logger } from '@aws-lambda-powertools/logger';

// Loaded and built on first use: most requests log nothing, and loading Powertools Logger at init
// costs a handler about 4% of its cold start (`npm run bench:coldstart:instructions`). The dynamic
// import keeps the module out of the bundle's start-up path (esbuild initialises it on first use).
// A line is written a microtask later than the call, still within the invocation.

type Level = 'info' | 'warn' | 'error';
type Attributes = Record<string, unknown>;

let instance: Promise<Logger> | undefined;

function loaded(): Promise<Logger> {
  instance ??= import('@aws-lambda-powertools/logger').then(
    ({ Logger: PowertoolsLogger }) => new PowertoolsLogger({ serviceName: 'coproduce' }),
  );
  return instance;
}

/** Writes one structured log line; never throws (a log that cannot be written must not fail a request). */
export function log(level: Level, message: string, attributes: Attributes = {}): Promise<void> {
  return loaded()
    .then((logger) => logger[level](message, attributes))
    .catch(() => {});
}
