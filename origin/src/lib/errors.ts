import { ERROR_CODES, type ErrorCode, type FieldError } from '../../../protocol/errors.js';

/**
 * A failure a service reports in domain terms. The HTTP adapter (`toErrorResponse`) is the only
 * place that knows about status codes, so services stay transport-free.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export class NotFoundError extends ServiceError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message = 'You are not allowed to do this') {
    super('forbidden', message);
  }
}

export class UnauthorizedError extends ServiceError {
  constructor(message = 'Sign in to do this') {
    super('unauthorized', message);
  }
}

export class ConflictError extends ServiceError {
  constructor(message: string, fields?: FieldError[]) {
    super('conflict', message, fields ? { fields } : {});
  }
}

/**
 * The runner asking no longer holds the job: its lease expired or went to another runner, or the
 * job was cancelled (its video deleted). A runner stops on it; it is not the job failing.
 */
export class LeaseGoneError extends ServiceError {
  constructor(message: string) {
    super('lease_gone', message);
  }
}

export class TooManyRequestsError extends ServiceError {
  constructor(message: string, retryAfterSeconds: number) {
    super('too_many_requests', message, { retryAfterSeconds });
  }
}

export class ValidationError extends ServiceError {
  constructor(fields: FieldError[], message = 'The request is not valid') {
    super('validation_failed', message, { fields });
  }
}

/** Turn zod issues into `{ path, message }` pairs with dotted paths. */
export function fieldErrorsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
