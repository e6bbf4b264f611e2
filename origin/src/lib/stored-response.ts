import type { Storage } from '../storage/types.js';

/** `bytes=start-[end]` to a range; anything else (multi-range, suffix) means the whole file. */
export function parseRange(header: string | undefined): { start: number; end?: number } | undefined {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), ...(match[2] ? { end: Number(match[2]) } : {}) };
}

/**
 * Stream a stored object as an HTTP response, honouring `Range` (206 with Content-Range) so a
 * reader can resume. Undefined when the object does not exist.
 */
export async function storedObjectResponse(
  storage: Storage,
  key: string,
  request: Request,
): Promise<Response | undefined> {
  const range = parseRange(request.headers.get('range') ?? undefined);
  const object = await storage.get(key, range ? { range } : {});
  if (!object) return undefined;
  const headers: Record<string, string> = {
    'content-type': object.contentType ?? 'application/octet-stream',
    'content-length': String(object.size),
    'accept-ranges': 'bytes',
  };
  if (object.etag) headers.etag = object.etag;
  if (object.range)
    headers['content-range'] = `bytes ${object.range.start}-${object.range.end}/${object.totalSize}`;
  return new Response(request.method === 'HEAD' ? null : object.body, {
    status: object.range ? 206 : 200,
    headers,
  });
}
