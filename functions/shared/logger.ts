import { Logger } from '@aws-lambda-powertools/logger';

// Built on first use: most requests log nothing, and building the logger at init costs about 5% of
// a handler's cold start (measured with `npm run bench:coldstart:instructions`).
let instance: Logger | undefined;

export function logger(): Logger {
  instance ??= new Logger({ serviceName: 'coproduce' });
  return instance;
}
