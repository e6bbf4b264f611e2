/** A fully buffered response: what the edge caches and hands to every collapsed waiter. */
export interface CachedObject {
  status: number;
  headers: Headers;
  body: ArrayBuffer;
}

/** One origin request for a live playlist, shared by every viewer asking the same thing meanwhile (live.ts). */
export interface LivePlaylistFlight {
  object: Promise<CachedObject>;
  /** When a blocking answer arrived: it still answers the same request for a moment. */
  settledAt?: number;
}

export interface EdgeCache {
  /** Requests collapsed onto an in-flight fetch, per cache key, in this isolate. */
  inflight: Map<string, Promise<CachedObject>>;
  /**
   * Cache keys this isolate stored, per group (a video id), so a deleted video's copies can be
   * deleted: the Cache API has no prefix purge. Bounded; copies it forgot are unreachable anyway,
   * since no token of a revoked video passes the check that comes before the cache.
   */
  stored: Map<string, Set<string>>;
  /** Where copies live: the Cache API, or this isolate's memory where the runtime has none. */
  store: Promise<CacheStore> | undefined;
}

/** The part of the Cache API the edge uses. */
interface CacheStore {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

const MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Per-isolate stand-in for the Cache API, for `workerd serve` without a cache service (`npm run
 * edge`), where `caches.open` throws "No Cache was configured". Honours max-age; evicts oldest first.
 */
function memoryStore(): CacheStore {
  const entries = new Map<string, { body: ArrayBuffer; headers: Headers; until: number }>();
  let bytes = 0;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return false;
    bytes -= entry.body.byteLength;
    entries.delete(key);
    return true;
  };
  return {
    async match(request) {
      const entry = entries.get(request.url);
      if (!entry) return undefined;
      if (entry.until <= Date.now()) return void drop(request.url);
      return new Response(entry.body.slice(0), { status: 200, headers: entry.headers });
    },
    async put(request, response) {
      const maxAge = /max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1];
      const body = await response.arrayBuffer();
      if (body.byteLength > MEMORY_BUDGET_BYTES / 4) return;
      drop(request.url);
      while (bytes + body.byteLength > MEMORY_BUDGET_BYTES) drop(entries.keys().next().value as string);
      entries.set(request.url, {
        body,
        headers: response.headers,
        until: Date.now() + Number(maxAge ?? 0) * 1000,
      });
      bytes += body.byteLength;
    },
    async delete(request) {
      return drop(request.url);
    },
  };
}

function openStore(cache: EdgeCache): Promise<CacheStore> {
  cache.store ??= (async () => {
    try {
      const store = await caches.open(CACHE_NAME);
      await store.match(new Request('https://playback-cache.vidra.invalid/probe')); // throws when unconfigured
      return store as CacheStore;
    } catch {
      return memoryStore();
    }
  })();
  return cache.store;
}

const STORED_GROUPS = 10_000;
const CACHE_NAME = 'vidra-playback';

export function createEdgeCache(): EdgeCache {
  return { inflight: new Map(), stored: new Map(), store: undefined };
}

/** Delete every copy this isolate stored for `group`. Returns how many the cache still held. */
export async function purgeGroup(cache: EdgeCache, group: string): Promise<number> {
  const keys = cache.stored.get(group);
  cache.stored.delete(group);
  if (!keys?.size) return 0;
  const store = await openStore(cache);
  const deleted = await Promise.all([...keys].map((key) => store.delete(new Request(key))));
  return deleted.filter(Boolean).length;
}

function remember(cache: EdgeCache, group: string, key: string): void {
  let keys = cache.stored.get(group);
  if (!keys) {
    if (cache.stored.size >= STORED_GROUPS) cache.stored.delete(cache.stored.keys().next().value as string);
    keys = new Set();
    cache.stored.set(group, keys);
  }
  keys.add(key);
}

/**
 * Serve `key` from the Cache API, or load it once however many requests ask at the same moment
 * (request collapsing), then store it for `ttlSeconds` (or what it says for the loaded object).
 * Only 200s are stored; errors pass through uncached. The token is never part of `key`, so one
 * cached copy serves every viewer.
 */
export async function cachedLoad(
  cache: EdgeCache,
  key: string,
  ttlSeconds: number | ((object: CachedObject) => number),
  load: () => Promise<Response>,
  waitUntil: (promise: Promise<unknown>) => void,
  group?: string,
): Promise<{ object: CachedObject; hit: boolean }> {
  const joined = cache.inflight.get(key);
  if (joined) return { object: await joined, hit: false };
  const store = await openStore(cache);
  const cacheKey = new Request(key);
  const cached = await store.match(cacheKey);
  if (cached) {
    if (group) remember(cache, group, key); // another isolate stored it; this one can purge it too
    return { object: await bufferResponse(cached), hit: true };
  }

  let pending = cache.inflight.get(key);
  if (!pending) {
    pending = load().then(bufferResponse);
    cache.inflight.set(key, pending);
    const forget = () => cache.inflight.delete(key);
    // The in-flight entry outlives the load until the copy is in the cache, so requests arriving
    // in between still join it instead of going to the origin again.
    pending.then((object) => {
      if (object.status !== 200) return forget();
      if (group) remember(cache, group, key);
      const headers = new Headers(object.headers);
      const ttl = typeof ttlSeconds === 'number' ? ttlSeconds : ttlSeconds(object);
      headers.set('cache-control', `public, max-age=${ttl}`);
      waitUntil(
        store.put(cacheKey, new Response(object.body.slice(0), { status: 200, headers })).finally(forget),
      );
    }, forget);
  }
  return { object: await pending, hit: false };
}

/** Read a response whole, so that it can be handed to many waiters and stored. */
export async function bufferResponse(response: Response): Promise<CachedObject> {
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
