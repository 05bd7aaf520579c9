import type { Service } from '../../workflows/schema';
import { type CaseDto, shownStepStatus } from '../domain/case-dto';
import type { Actor } from '../domain/model';

// Figures for the console computed from case views: each side's progress, who a case waits on,
// and how long each side takes per stage.

export interface SideProgress {
  done: number;
  open: number;
  overdue: number;
  total: number;
}
export type WaitingOn = 'citizen' | 'provider' | 'both' | 'none';

export interface CaseProgress {
  citizen: SideProgress;
  provider: SideProgress;
  waitingOn: WaitingOn;
}

const isPastDue = (s: CaseDto['steps'][number], nowMs: number) =>
  s.dueAt !== undefined && Date.parse(s.dueAt) < nowMs;

/** A step left open when its case ended counts neither as open nor as overdue (shownStepStatus). */
export function progressOf(dto: CaseDto, nowMs: number): CaseProgress {
  const side = (actor: Actor): SideProgress => {
    const steps = dto.steps.filter((s) => s.actor === actor);
    const open = steps.filter((s) => shownStepStatus(s, dto.status) === 'OPEN');
    return {
      done: steps.filter((s) => s.status === 'DONE').length,
      open: open.length,
      overdue: open.filter((s) => isPastDue(s, nowMs)).length,
      total: steps.length,
    };
  };
  const citizen = side('citizen');
  const provider = side('provider');
  const active = dto.status === 'ACTIVE';
  const c = active && citizen.open > 0;
  const p = active && provider.open > 0;
  return { citizen, provider, waitingOn: c && p ? 'both' : c ? 'citizen' : p ? 'provider' : 'none' };
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface StageTiming {
  stageId: string;
  title: { nl: string; en: string };
  /** Median hours from a step opening to its submission; undefined without submissions. */
  citizen?: number;
  provider?: number;
  samples: { citizen: number; provider: number };
}

/** Per stage and side: the median hours from opened to submitted over all submitted steps. */
export function stageTimings(service: Service, cases: CaseDto[]): StageTiming[] {
  return service.stages.map((stage) => {
    const hours: Record<Actor, number[]> = { citizen: [], provider: [] };
    for (const dto of cases) {
      for (const s of dto.steps) {
        if (s.stage !== stage.id || s.status !== 'DONE' || !s.openedAt || !s.submittedAt) continue;
        const h = (Date.parse(s.submittedAt) - Date.parse(s.openedAt)) / 3_600_000;
        if (Number.isFinite(h) && h >= 0) hours[s.actor].push(h);
      }
    }
    const c = median(hours.citizen);
    const p = median(hours.provider);
    return {
      stageId: stage.id,
      title: stage.title,
      ...(c !== undefined && { citizen: c }),
      ...(p !== undefined && { provider: p }),
      samples: { citizen: hours.citizen.length, provider: hours.provider.length },
    };
  });
}

export function waitingCounts(progress: CaseProgress[]): Record<Exclude<WaitingOn, 'none'>, number> {
  const counts = { citizen: 0, provider: 0, both: 0 };
  for (const p of progress) if (p.waitingOn !== 'none') counts[p.waitingOn]++;
  return counts;
}
