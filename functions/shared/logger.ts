// One structured JSON line per call, in Powertools Logger's shape (level, message, timestamp, service,
// then the attributes), written by this small module rather than by Powertools Logger: bundling that
// library cost every handler's cold start about 3% (`npm run bench:coldstart:instructions`), while all
// we use of it is this line. Levels as Powertools reads them: POWERTOOLS_LOG_LEVEL, else Lambda's
// own AWS_LAMBDA_LOG_LEVEL (advanced logging controls), else INFO.

type Level = 'info' | 'warn' | 'error';
type Attributes = Record<string, unknown>;

const RANKS: Record<string, number> = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24 };
const SILENT = 28;

function threshold(): number {
  const name = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase();
  return name === 'SILENT' ? SILENT : (RANKS[name] ?? RANKS.INFO ?? 12);
}

/** An Error as data (JSON.stringify of an Error is `{}`). */
function plain(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { name: value.name, message: value.message, ...(value.stack && { stack: value.stack }) };
}

/** Writes one structured log line; never throws (a log that cannot be written must not fail a request). */
export function log(level: Level, message: string, attributes: Attributes = {}): Promise<void> {
  try {
    if ((RANKS[level.toUpperCase()] ?? 0) < threshold()) return Promise.resolve();
    const trace = process.env._X_AMZN_TRACE_ID;
    const line: Attributes = {
      level: level.toUpperCase(),
      message,
      timestamp: new Date().toISOString(),
      service: process.env.POWERTOOLS_SERVICE_NAME ?? 'coproduce',
      ...(trace && { xray_trace_id: trace.split(';')[0]?.replace('Root=', '') }),
    };
    for (const [key, value] of Object.entries(attributes)) line[key] = plain(value);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } catch {
    // A value that cannot be serialised (a cycle): the line is dropped, the request goes on.
  }
  return Promise.resolve();
}
