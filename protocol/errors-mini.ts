// The zod/mini twin of `errors.ts`, for the edge (classic zod would add ~450 KB to the worker, and
// the origin's OpenAPI routes cannot read mini schemas). `errors.test.ts` holds the two to the
// same JSON Schema.
import * as z from 'zod/mini';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** The single JSON error shape: `{ error: { code, message, requestId, fields? } }`. */
export const ErrorBodyMiniSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    fields: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  }),
});
