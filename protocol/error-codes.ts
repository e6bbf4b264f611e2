// No zod here: the edge bundles this table, and zod would add ~450 KB to the worker.

/**
 * The closed set of error codes every Vidra service answers with. Clients switch on `code`,
 * never on `message`, so messages can be reworded freely.
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  password_required: 403,
  wrong_password: 403,
  not_found: 404,
  conflict: 409,
  /** Runner protocol: this runner no longer holds the job (lease expired, taken over, video deleted). Stop. */
  lease_gone: 409,
  gone: 410,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal_error: 500,
  not_implemented: 501,
  bad_gateway: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
