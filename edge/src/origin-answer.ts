import * as z from 'zod/mini';

/**
 * The origin answered something the edge cannot use: a status it did not expect, a body that is not
 * JSON, or JSON that breaks the contract. `app.ts` turns it into the one JSON error shape as a 502
 * (the edge is a gateway, and the fault is upstream), so a bad answer never crashes a request.
 */
export class OriginAnswerError extends Error {
  override readonly name = 'OriginAnswerError';
}

/**
 * Read an origin answer's JSON body against its contract. `what` names the call in the error
 * (it reaches the log, not the client).
 */
export async function readOriginJson<S extends z.ZodMiniType>(
  res: Response,
  schema: S,
  what: string,
): Promise<z.output<S>> {
  if (!res.ok) throw new OriginAnswerError(`${what} failed with ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new OriginAnswerError(`${what} answered a body that is not JSON`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new OriginAnswerError(`${what} answered a malformed body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
