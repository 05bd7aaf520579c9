// Waiting times are kept as counts per bucket, not as a list of values: a counter can be added to in
// place (DynamoDB ADD) as each stage visit ends, and any number of days merge by adding counts, so
// the report costs the same for 100 cases as for 100,000. The price is resolution: bucket 0 holds
// exactly zero (a side that never waited), bucket 1 (0, 1 min], and from there every bucket is √2
// times as wide as the one before, up to a year; the last one is open. A percentile is interpolated
// linearly within the bucket it falls in, so it is exact to within that bucket: at most 41% of the
// value (under a minute: to the minute).

const MINUTE = 60;
const YEAR = 366 * 24 * 3600;

/** The upper bounds (seconds, inclusive) of buckets 1..n-1; the last bucket has none. */
export const BUCKET_BOUNDS: readonly number[] = (() => {
  const bounds = [0, MINUTE];
  while ((bounds.at(-1) as number) < YEAR)
    bounds.push(Math.round(MINUTE * Math.SQRT2 ** (bounds.length - 1)));
  return bounds;
})();

export const BUCKET_COUNT = BUCKET_BOUNDS.length + 1;

/** The bucket a waiting time (seconds) counts in. */
export function bucketOf(seconds: number): number {
  if (seconds <= 0) return 0;
  for (let i = 1; i < BUCKET_BOUNDS.length; i++) if (seconds <= (BUCKET_BOUNDS[i] as number)) return i;
  return BUCKET_BOUNDS.length;
}

/** Counts per bucket; a missing bucket is zero. */
export type Histogram = readonly number[];

export function emptyHistogram(): number[] {
  return new Array(BUCKET_COUNT).fill(0);
}

export function addInto(into: number[], from: Histogram): void {
  for (let i = 0; i < BUCKET_COUNT; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

/** The q-th quantile (0..1) in seconds, interpolated within its bucket; undefined without values. */
export function percentile(histogram: Histogram, q: number): number | undefined {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  // The rank of the wanted value among the sorted values, 1-based ("nearest rank", then interpolated).
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < BUCKET_COUNT; i++) {
    const n = histogram[i] ?? 0;
    if (n === 0 || seen + n < rank) {
      seen += n;
      continue;
    }
    if (i === 0) return 0;
    const low = BUCKET_BOUNDS[i - 1] as number;
    // The open last bucket: its lower bound is all that is known.
    const high = BUCKET_BOUNDS[i] ?? low;
    // The values of the bucket spread evenly over it; the wanted one is the (rank - seen)-th of n.
    return Math.round(low + ((high - low) * (rank - seen)) / n);
  }
  return undefined;
}
