import * as z from 'zod/mini';
import { CASE_STATUSES } from '../domain/model';

// The bodies the API answers with, for the published contract (document.ts). Objects are loose
// (further properties may come): a client reads what it knows, and the tests that validate every
// response check what is written here. What must never be in a response is written as `never`.

const text = z.string();
const bilingual = z.looseObject({ nl: text, en: text });
const isoTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/));
const status = z.enum(CASE_STATUSES);
const actor = z.enum(['citizen', 'provider']);
const channel = z.enum(['web', 'sms', 'api']);
const fieldValue = z.union([z.string(), z.number(), z.boolean()]);
const formData = z.record(z.string(), fieldValue);
const absent = z.optional(z.never());

/** Every error of the API itself (the gateway's own refusals use `gatewayError`). */
export const errorBody = z.looseObject({
  error: z.looseObject({
    code: z.string().check(z.regex(/^[A-Z_]+$/)),
    message: text,
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
});

/** API Gateway's own answers (JWT authorizer 401, throttling 429): `{ "message": "Unauthorized" }`. */
export const gatewayError = z.looseObject({ message: text });

export const createdCase = z.looseObject({
  caseId: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
  status,
  citizenLink: z.url(),
});

export const caseSummary = z.looseObject({
  caseId: text,
  serviceId: text,
  status,
  stage: z.optional(text),
  reference: z.optional(text),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const caseList = z.looseObject({
  items: z.array(caseSummary),
  /** Absent on the last page; hand it back as `cursor` for the next one. */
  cursor: z.optional(text),
});

/** A step as it may leave the server: never its task token. */
export const publicStep = z.looseObject({
  caseId: text,
  stepId: text,
  actor,
  status: z.enum(['OPEN', 'DONE']),
  visit: z.number(),
  openedAt: isoTime,
  dueAt: isoTime,
  expiresAt: isoTime,
  taskToken: absent,
  data: z.optional(formData),
  channel: z.optional(channel),
});

export const stepAnswered = z.looseObject({ step: publicStep });

/** Where a step stands: what both views of a case show of it (the status view nothing more). */
const stepStanding = {
  stepId: text,
  stage: text,
  actor,
  status: z.enum(['OPEN', 'DONE', 'PENDING']),
  openedAt: z.optional(isoTime),
  dueAt: z.optional(isoTime),
  submittedAt: z.optional(isoTime),
  channel: z.optional(channel),
  taskToken: absent,
};

const stepView = z.looseObject({
  ...stepStanding,
  title: bilingual,
  data: z.optional(formData),
  earlierData: z.optional(formData),
});

/** A proposed due date in a case view (functions/proposals/view.ts): reason and note opened, never sealed. */
const proposalView = z.looseObject({
  proposalId: text,
  stepId: text,
  by: actor,
  dueAt: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  status: z.enum(['OPEN', 'ACCEPTED', 'DECLINED', 'EXPIRED']),
  reason: z.optional(text),
  note: z.optional(text),
  reasonEnc: absent,
  noteEnc: absent,
});

/** Where a case stands: what both views of a case show of it (the status view with its steps' standing). */
const caseStanding = {
  caseId: text,
  serviceId: text,
  org: text,
  status,
  stage: z.optional(text),
  createdAt: isoTime,
  updatedAt: isoTime,
};

const caseView = {
  ...caseStanding,
  service: z.looseObject({ title: bilingual, summary: bilingual }),
  context: z.optional(formData),
  stages: z.array(z.looseObject({ stageId: text, title: bilingual })),
  steps: z.array(stepView),
  events: z.array(z.looseObject({ at: isoTime, type: text })),
  waiting: z.optional(caseWaiting()),
  proposals: z.optional(z.array(proposalView)),
  // The processing log holds the newest 100 records; true when there are older ones.
  processingLogOlder: z.optional(z.literal(true)),
  // Never sealed personal data, keys or hashes.
  requestHash: absent,
  dataKey: absent,
  ttl: absent,
};

/** GET /cases/{caseId}: both partners' steps; contact data masked. */
export const providerCase = z.looseObject({
  ...caseView,
  reference: z.optional(text),
  citizen: z.optional(
    z.looseObject({
      locale: z.enum(['nl', 'en']),
      name: z.optional(text),
      phone: z.optional(text),
      email: z.optional(text),
    }),
  ),
});

/** GET /cases/{caseId}?view=status: statuses and timings only; nothing personal (so no logged read). */
export const caseStatus = z.looseObject({
  ...caseStanding,
  steps: z.array(z.looseObject({ ...stepStanding, data: absent, earlierData: absent, answeredBy: absent })),
  reference: absent,
  citizen: absent,
  context: absent,
  events: absent,
  processingLog: absent,
  proposals: absent,
});

/** One line of the processing log as the citizen reads it: which organisation, never which staff member. */
const processingEntry = z.looseObject({
  at: isoTime,
  organisation: text,
  purpose: bilingual,
  categories: z.array(text),
  action: text,
  by: absent,
  traceId: absent,
});

/** GET /cases/{caseId}/processing: a page of the log as staff read it, with who and the trace. */
export const processingPage = z.looseObject({
  items: z.array(z.looseObject({ ...processingEntry.shape, by: text, traceId: text })),
  cursor: z.optional(text),
});

/** GET /c/{linkToken} as JSON: the citizen's own case, without staff notes or contact data. */
export const citizenCase = z.looseObject({
  ...caseView,
  citizen: absent,
  reference: absent,
  processingLog: z.array(processingEntry),
});

/** A helper of the citizen (delegation/) as the citizen's JSON lists them. */
const delegateView = z.looseObject({
  delegateId: text,
  name: z.optional(text),
  steps: z.union([z.literal('all'), z.array(text)]),
  expiresAt: isoTime,
  nameEnc: absent,
});

/** POST /c/{linkToken}/delegates: the helper's link, shown this once. */
export const delegateAdded = z.looseObject({
  delegateId: text,
  link: text,
  steps: z.union([z.literal('all'), z.array(text)]),
  expiresAt: isoTime,
});

/** DELETE /c/{linkToken}/delegates/{delegateId}: withdrawn. */
export const delegateRevoked = z.looseObject({
  delegateId: text,
  status: z.literal('REVOKED'),
  revokedAt: isoTime,
});

/** GET /c/{linkToken} as JSON, for the citizen: their helpers too. */
export const citizenCaseWithDelegates = z.looseObject({
  ...caseView,
  citizen: absent,
  reference: absent,
  processingLog: z.array(processingEntry),
  delegates: z.optional(z.array(delegateView)),
});

/** GET /c/{linkToken}/export: everything the case holds about the citizen, opened for them. */
export const citizenExport = z.looseObject({
  exportedAt: isoTime,
  case: z.looseObject({ caseId: text, status, createdAt: isoTime, updatedAt: isoTime }),
  citizen: z.looseObject({ locale: z.enum(['nl', 'en']) }),
  steps: z.array(stepView),
  events: z.array(z.looseObject({ at: isoTime, type: text })),
  // The same use on one day is one line: from `at` until `until`, `times` in all (privacy/case-export.ts).
  processingLog: z.array(
    z.looseObject({
      ...processingEntry.shape,
      until: z.optional(isoTime),
      times: z.optional(z.int().check(z.minimum(2))),
    }),
  ),
});

/** POST /cases/{caseId}/erase: what is left, and when and by whom it was erased. */
export const erasedCase = z.looseObject({
  caseId: text,
  status,
  erased: z.looseObject({ at: isoTime, by: z.optional(text) }),
});

export const cancelled = z.looseObject({ caseId: text, status, cancelReason: text });
export const redriven = z.looseObject({ caseId: text, status });
export const reopened = z.looseObject({ caseId: text, status, stage: text });

/** A proposed due date, made (negotiated due dates, functions/proposals/). */
export const proposalMade = z.looseObject({ proposalId: text, status: z.literal('OPEN') });
/** The answer to a proposal: the step's due date after it. */
export const proposalAnswered = z.looseObject({
  proposalId: text,
  status: z.enum(['ACCEPTED', 'DECLINED']),
  stepId: text,
  dueAt: isoTime,
});

export const catalogue = z.looseObject({
  items: z.array(
    z.looseObject({
      id: text,
      title: bilingual,
      summary: bilingual,
      providerKind: text,
      context: z.array(z.looseObject({ id: text, type: text })),
      stages: z.array(
        z.looseObject({
          id: text,
          title: bilingual,
          steps: z.array(
            z.looseObject({
              id: text,
              actor,
              title: bilingual,
              after: z.optional(text),
              fields: z.array(z.looseObject({ id: text })),
            }),
          ),
        }),
      ),
    }),
  ),
});

const roundStatus = z.enum(['AWAITING_UPLOAD', 'VALIDATING', 'REJECTED', 'STARTING', 'STARTED', 'FAILED']);

export const createdRound = z.looseObject({
  roundId: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
  status: roundStatus,
  upload: z.looseObject({
    method: z.literal('PUT'),
    url: z.url(),
    headers: z.looseObject({ 'content-type': z.literal('text/csv') }),
    expiresAt: isoTime,
  }),
});

export const startedRound = z.looseObject({
  roundId: text,
  status: z.literal('VALIDATING'),
  attempt: z.number(),
});

const count = z.int().check(z.nonnegative());

export const round = z.looseObject({
  roundId: text,
  name: text,
  serviceId: text,
  status: roundStatus,
  onInvalid: z.enum(['skip', 'reject']),
  attempt: count,
  createdAt: isoTime,
  updatedAt: isoTime,
  total: count,
  validated: count,
  invalid: count,
  started: count,
  failed: count,
  completed: count,
  expired: count,
  cancelled: count,
  active: count,
  error: z.optional(text),
  errors: z.array(z.looseObject({ line: count, column: text, reason: text })),
  failures: z.array(z.looseObject({ line: count, reference: text, reason: text })),
});

/** The OpenAPI document itself (GET /openapi.json). */
export const openApi = z.looseObject({
  openapi: z.string().check(z.regex(/^3\.1\.\d+$/)),
  info: z.looseObject({ title: text, version: text }),
  paths: z.record(z.string(), z.unknown()),
});

/** Seconds of waiting: who waited on whom (functions/reports/waiting.ts), per case and per stage visit. */
function caseWaiting() {
  const seconds = z.number().check(z.int(), z.nonnegative());
  const waited = { citizenOnProvider: seconds, providerOnCitizen: seconds, shared: seconds };
  return z.looseObject({
    ...waited,
    stages: z.array(
      z.looseObject({
        ...waited,
        stageId: z.string(),
        visit: z.number(),
        enteredAt: z.string(),
        endedAt: z.optional(z.string()),
        complete: z.boolean(),
      }),
    ),
  });
}

const sideFigures = z.looseObject({
  visits: z.number(),
  medianSeconds: z.optional(z.number()),
  p90Seconds: z.optional(z.number()),
  meanSeconds: z.optional(z.number()),
  overdue: z.number(),
  reminders: z.number(),
  feedback: z.looseObject({ yes: z.number(), no: z.number() }),
});

/** GET /services/{serviceId}/report: per stage and side, from the running aggregates. */
export const serviceReport = z.looseObject({
  serviceId: z.string(),
  org: z.string(),
  orgName: z.string(),
  from: z.string(),
  to: z.string(),
  resolution: z.string(),
  stages: z.array(
    z.looseObject({
      stageId: z.string(),
      title: z.looseObject({ nl: z.string(), en: z.string() }),
      sharedMeanSeconds: z.optional(z.number()),
      citizen: sideFigures,
      provider: sideFigures,
    }),
  ),
  totals: z.looseObject({ citizen: sideFigures, provider: sideFigures }),
});
