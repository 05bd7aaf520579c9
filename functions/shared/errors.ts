// Typed domain errors. Their HTTP status is decided in one place: `statusOf` below.

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that does not match the contract: names the fields that failed. */
export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super('VALIDATION_FAILED', message, details);
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in or use a valid case link.') {
    super('UNAUTHENTICATED', message);
  }
}
/** A 403; the code tells reasons apart (WRONG_ACTOR, CSRF, BAD_SIGNATURE). */
export class ForbiddenError extends AppError {
  constructor(message: string, details?: ErrorDetails, code = 'FORBIDDEN') {
    super(code, message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super('NOT_FOUND', message, details);
  }
}
/** The state does not allow it (step not open, case closed, token expired, key reused). */
export class ConflictError extends AppError {}
export class LinkExpiredError extends AppError {
  constructor() {
    super('LINK_EXPIRED', 'This link has expired. Ask your contact for a new one.');
  }
}
/**
 * A delegate's link the citizen withdrew (delegation/): gone, like an expired one. `erased`: the organisation
 * erased the case's personal data, which ends every helper's link; the citizen did not withdraw it.
 */
export class LinkRevokedError extends AppError {
  constructor(erased = false) {
    super(
      'LINK_REVOKED',
      erased
        ? "This case's personal data was erased, which ended this link."
        : 'This link was withdrawn by the person who gave it to you.',
      erased ? { erased: true } : undefined,
    );
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(type: string) {
    super('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${type || '(none)'} is not accepted here.`);
  }
}
/** The workflow engine refused a task token: it timed out, closed or never existed. */
export class TokenRejectedError extends AppError {
  constructor(reason: string) {
    super('TOKEN_REJECTED', `The step is no longer waiting for this answer (${reason}).`);
  }
}

const STATUS: [new (...args: never[]) => AppError, number][] = [
  [ValidationError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [TokenRejectedError, 409],
  [ConflictError, 409],
  [LinkExpiredError, 410],
  [LinkRevokedError, 410],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
];

export function statusOf(error: unknown): number {
  for (const [type, status] of STATUS) if (error instanceof type) return status;
  return 500;
}

export function errorBody(error: unknown): {
  error: { code: string; message: string; details?: ErrorDetails };
} {
  if (error instanceof AppError) {
    return {
      error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) },
    };
  }
  return {
    error: { code: 'INTERNAL', message: 'Something went wrong on our side. Nothing was changed twice.' },
  };
}
