import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export { ERROR_CODES, type ErrorCode };

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
