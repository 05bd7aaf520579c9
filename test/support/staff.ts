import type { Provider } from '../../functions/domain/model';
import type { Staff } from '../../functions/domain/processing-log';

/** A fixed trace, so a test can find the records a request wrote. */
export const TRACE = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

/** The provider acting within one request (the trace above). */
export function staffOf(provider: Provider): Staff {
  return { provider, trace: TRACE };
}
