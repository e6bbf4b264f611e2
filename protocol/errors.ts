import { z } from 'zod';

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
  payload_too_large: 413,
  too_many_requests: 429,
  internal_error: 500,
  bad_gateway: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One field-level validation problem, with a dotted path into the request body or query. */
export const FieldErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/** The single JSON error shape: `{ error: { code, message, requestId, fields? } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    fields: z.array(FieldErrorSchema).optional(),
  }),
});

export type ErrorBody = z.infer<typeof ErrorBodySchema>;
export type FieldError = z.infer<typeof FieldErrorSchema>;
