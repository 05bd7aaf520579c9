import type { Clock } from './ports';

export const systemClock: Clock = { now: () => new Date() };

/** 24 hours in milliseconds: reopen windows, link lives and report ranges count their days in these. */
export const DAY_MS = 86_400_000;
