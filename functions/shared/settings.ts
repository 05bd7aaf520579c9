import { optionalEnv, requireEnv } from './env';

// Settings shared by several handlers, parsed once at load.

function days(name: string, fallback: number): number {
  const raw = optionalEnv(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`Environment variable ${name} must be a whole number of days`);
  return n;
}

export const publicUrl = requireEnv('PUBLIC_URL').replace(/\/+$/, '');
export const linkTtlDays = days('LINK_TTL_DAYS', 90);
export const retentionDays = days('RETENTION_DAYS', 365);
