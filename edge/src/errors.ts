import { ERROR_CODES, type ErrorCode } from '../../protocol/error-codes.js';
import type { ErrorBody } from '../../protocol/errors.js';

/** HTTP status for every code of the shared closed set. */
export const ERROR_STATUS = ERROR_CODES;

/**
 * Build the house error response `{ error: { code, message, requestId } }`.
 *
 * The request id is repeated in the `X-Request-Id` header because some error paths bypass Hono's
 * context (and with it the request-id middleware's header), and clients correlating logs should
 * find it in the same place every time.
 */
export function errorResponse(code: ErrorCode, message: string, requestId: string): Response {
  const body: ErrorBody = { error: { code, message, requestId } };
  return new Response(JSON.stringify(body), {
    status: ERROR_STATUS[code],
    headers: {
      'content-type': 'application/json; charset=utf-8',
      // Errors describe one moment of one request; a cache replaying them would turn a blip into an outage.
      'cache-control': 'no-store',
      'x-request-id': requestId,
    },
  });
}
