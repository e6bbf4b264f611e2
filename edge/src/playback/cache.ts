/** A fully buffered response: what the edge caches and hands to every collapsed waiter. */
export interface CachedObject {
  status: number;
  headers: Headers;
  body: ArrayBuffer;
}

export interface EdgeCache {
  /** Requests collapsed onto an in-flight fetch, per cache key, in this isolate. */
  inflight: Map<string, Promise<CachedObject>>;
}

export function createEdgeCache(): EdgeCache {
  return { inflight: new Map() };
}

/**
 * Serve `key` from the Cache API, or load it once however many requests ask at the same moment
 * (request collapsing), then store it for `ttlSeconds`. Only 200s are stored; errors pass through
 * uncached. The token is never part of `key`, so one cached copy serves every viewer.
 */
export async function cachedLoad(
  cache: EdgeCache,
  key: string,
  ttlSeconds: number,
  load: () => Promise<Response>,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<{ object: CachedObject; hit: boolean }> {
  const joined = cache.inflight.get(key);
  if (joined) return { object: await joined, hit: false };
  const store = await caches.open('vidra-playback');
  const cacheKey = new Request(key);
  const cached = await store.match(cacheKey);
  if (cached) return { object: await buffer(cached), hit: true };

  let pending = cache.inflight.get(key);
  if (!pending) {
    pending = load().then(buffer);
    cache.inflight.set(key, pending);
    const forget = () => cache.inflight.delete(key);
    // The in-flight entry outlives the load until the copy is in the cache, so requests arriving
    // in between still join it instead of going to the origin again.
    pending.then((object) => {
      if (object.status !== 200) return forget();
      const headers = new Headers(object.headers);
      headers.set('cache-control', `public, max-age=${ttlSeconds}`);
      waitUntil(
        store.put(cacheKey, new Response(object.body.slice(0), { status: 200, headers })).finally(forget),
      );
    }, forget);
  }
  return { object: await pending, hit: false };
}

async function buffer(response: Response): Promise<CachedObject> {
  return {
    status: response.status,
    headers: new Headers(response.headers),
    body: await response.arrayBuffer(),
  };
}

/**
 * Answer a `Range: bytes=a-b` request from a buffered object. Returns undefined for no or
 * unsupported ranges (serve the whole object), and `unsatisfiable` when it starts past the end.
 */
export function sliceRange(
  header: string | null,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
