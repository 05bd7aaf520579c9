// ISO 8601 durations in days, weeks, hours and minutes. Months and years are refused:
// their length depends on the calendar, and a due date must mean the same for both partners.
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

export function isDuration(value: string): boolean {
  return PATTERN.test(value) && value !== 'P' && !value.endsWith('T');
}

export function durationSeconds(value: string): number {
  const m = PATTERN.exec(value);
  if (!m || !isDuration(value)) throw new Error(`not an ISO 8601 duration in W/D/H/M: ${value}`);
  const [, w, d, h, min] = m.map((x) => Number(x ?? 0));
  return (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3_600 + (min ?? 0) * 60;
}
