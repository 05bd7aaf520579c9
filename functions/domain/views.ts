import type { Service } from '../../workflows/schema';
import type {
  Actor,
  CaseEvent,
  CaseFailure,
  CaseStatus,
  Channel,
  FormData,
  Locale,
  StepRecord,
} from './model';
import type { PiiVault } from './pii';
import type { CaseView } from './ports';

// What a caller sees of a case: every step of BOTH partners, in the order of the definition,
// including the ones not reached yet. Nothing secret leaves: no task tokens, no sealed contact data.

export type Audience = 'provider' | 'citizen';
type Bilingual = { nl: string; en: string };

export interface StepView {
  stepId: string;
  stage: string;
  actor: Actor;
  title: Bilingual;
  /** PENDING: the case has not reached this step (yet). */
  status: 'OPEN' | 'DONE' | 'PENDING';
  openedAt?: string;
  dueAt?: string;
  expiresAt?: string;
  reminders?: number;
  escalated?: boolean;
  submittedAt?: string;
  channel?: Channel;
  data?: FormData;
}

export interface CaseDto {
  caseId: string;
  serviceId: string;
  service: { title: Bilingual; summary: Bilingual };
  org: string;
  status: CaseStatus;
  stage?: string;
  reference?: string;
  cancelReason?: string;
  /** While FAILED, for staff: what ended the execution and when (the citizen sees only the status). */
  failure?: Pick<CaseFailure, 'error' | 'cause' | 'at' | 'execution'>;
  createdAt: string;
  updatedAt: string;
  citizen?: { name?: string; phone?: string; email?: string; locale: Locale };
  /** The service's context values (address, collection date...): both partners may see them. */
  context?: FormData;
  stages: { stageId: string; title: Bilingual }[];
  steps: StepView[];
  events: Pick<CaseEvent, 'at' | 'type' | 'actor' | 'stepId' | 'channel' | 'detail'>[];
}

export function maskPhone(phone: string): string {
  return phone.length <= 5
    ? '*'.repeat(phone.length)
    : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

function open(vault: PiiVault, sealed: string | undefined): string | undefined {
  if (sealed === undefined) return undefined;
  try {
    return vault.decrypt(sealed);
  } catch {
    return undefined; // sealed under an older key: show nothing rather than fail the whole view
  }
}

function openContext(vault: PiiVault, sealed: string | undefined): FormData | undefined {
  const text = open(vault, sealed);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as FormData) : undefined;
  } catch {
    return undefined;
  }
}

export function caseDto(service: Service, view: CaseView, audience: Audience, vault: PiiVault): CaseDto {
  const c = view.case;
  const records = new Map(view.steps.map((s) => [s.stepId, s]));
  const steps = service.stages.flatMap((stage) =>
    stage.steps.map((def): StepView => {
      const base = { stepId: def.id, stage: stage.id, actor: def.actor, title: def.title };
      const r = records.get(def.id);
      if (!r) return { ...base, status: 'PENDING' };
      return {
        ...base,
        status: r.status,
        openedAt: r.openedAt,
        dueAt: r.dueAt,
        expiresAt: r.expiresAt,
        reminders: r.reminders,
        escalated: r.escalated,
        ...(r.submittedAt !== undefined && { submittedAt: r.submittedAt }),
        ...(r.channel !== undefined && { channel: r.channel }),
        ...(r.data !== undefined && { data: r.data }),
      };
    }),
  );
  const dto: CaseDto = {
    caseId: c.caseId,
    serviceId: c.serviceId,
    service: { title: service.title, summary: service.summary },
    org: c.org,
    status: c.status,
    ...(c.stage !== undefined && { stage: c.stage }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    stages: service.stages.map((s) => ({ stageId: s.id, title: s.title })),
    steps,
    // The citizen sees what happened, not the staff's notes in the details.
    events: view.events.map(({ at, type, actor, stepId, channel, detail }) => ({
      at,
      type,
      ...(actor !== undefined && { actor }),
      ...(stepId !== undefined && { stepId }),
      ...(channel !== undefined && { channel }),
      ...(audience === 'provider' && detail !== undefined && { detail }),
    })),
  };
  // The citizen's own case only ever reaches this function through their link token.
  const context = openContext(vault, c.contextEnc);
  if (context !== undefined) dto.context = context;
  if (audience === 'provider') {
    if (c.reference !== undefined) dto.reference = c.reference;
    if (c.cancelReason !== undefined) dto.cancelReason = c.cancelReason;
    if (c.status === 'FAILED' && c.failure) {
      const { error, cause, at, execution } = c.failure;
      dto.failure = { error, cause, at, execution };
    }
    const name = open(vault, c.citizen.nameEnc);
    const phone = open(vault, c.citizen.phoneEnc);
    const email = open(vault, c.citizen.emailEnc);
    dto.citizen = {
      locale: c.citizen.locale,
      ...(name !== undefined && { name }),
      ...(phone !== undefined && { phone: maskPhone(phone) }),
      ...(email !== undefined && { email: maskEmail(email) }),
    };
  }
  return dto;
}

/** The short form in lists. */
export function caseSummary(c: CaseView['case']) {
  return {
    caseId: c.caseId,
    serviceId: c.serviceId,
    status: c.status,
    ...(c.stage !== undefined && { stage: c.stage }),
    ...(c.reference !== undefined && { reference: c.reference }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A step record as it may leave the server: without the task token. */
export function publicStep(step: StepRecord): Omit<StepRecord, 'taskToken'> {
  const { taskToken: _secret, ...rest } = step;
  return rest;
}
