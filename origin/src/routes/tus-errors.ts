import { ERROR_CODES, type ErrorCode } from '../../../protocol/errors.js';
import { ServiceError } from '../lib/errors.js';

/** The one JSON error shape, as a string for tus's `{ status_code, body }`. */
function errorJson(code: ErrorCode, message: string, requestId: string, extra: object = {}): string {
  return JSON.stringify({ error: { code, message, requestId, ...extra } });
}

/** tus wants `{ status_code, body }` thrown from hooks; we send our one JSON error shape in it. */
export function tusError(error: unknown, requestId: string): { status_code: number; body: string } {
  const known = error instanceof ServiceError ? error : undefined;
  const code = known?.code ?? 'internal_error';
  const message = known?.message ?? 'Something went wrong on our side';
  const fields = known?.extra.fields;
  return {
    status_code: ERROR_CODES[code],
    body: errorJson(code, message, requestId, fields ? { fields } : {}),
  };
}

/**
 * Map one of @tus/server's plain-text failures (its status and text) onto our closed set of codes.
 * A wrong or missing PATCH Content-Type is 415, whatever status tus chose (it says 400 or 403). Pure.
 */
export function classifyTusFailure(status: number, text: string): { code: ErrorCode; message: string } {
  const said = text.trim();
  if (/content-type/i.test(said)) {
    return {
      code: 'unsupported_media_type',
      message: 'Send upload bytes as Content-Type: application/offset+octet-stream',
    };
  }
  if (status === 412) return { code: 'precondition_failed', message: 'Send Tus-Resumable: 1.0.0' };
  if (status >= 500 && status !== 501)
    return { code: 'internal_error', message: 'Something went wrong on our side' };
  const byStatus: Partial<Record<number, ErrorCode>> = {
    404: 'not_found',
    409: 'conflict',
    410: 'gone',
    413: 'payload_too_large',
    501: 'not_implemented',
  };
  return { code: byStatus[status] ?? 'bad_request', message: said || 'The upload request was rejected' };
}

function parsedErrorShape(text: string): boolean {
  try {
    return typeof (JSON.parse(text) as { error?: { code?: unknown } }).error?.code === 'string';
  } catch {
    return false;
  }
}

/**
 * Every tus response carries our request id, and every failure leaves in the one JSON error shape
 * with the status of its code, including the ones @tus/server writes itself (412 without
 * Tus-Resumable, 400 on an invalid header, 404) and those our hooks threw (which tus sends as text/plain).
 */
export async function toJsonErrorResponse(res: Response, requestId: string): Promise<Response> {
  const headers = new Headers(res.headers);
  headers.set('x-request-id', requestId);
  if (res.status < 400) return new Response(res.body, { status: res.status, headers });
  const text = await res.text();
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  if (parsedErrorShape(text)) return new Response(text, { status: res.status, headers });
  const { code, message } = classifyTusFailure(res.status, text);
  return new Response(errorJson(code, message, requestId), { status: ERROR_CODES[code], headers });
}
