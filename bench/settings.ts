// Bench settings come from argv and the environment; a typo must stop the run, not bench something else.

export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  const n = Number(raw ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer ('${raw}')`);
  return n;
}
