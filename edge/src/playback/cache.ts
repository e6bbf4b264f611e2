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
  /** The shared copies: the Cache API, or nothing where the runtime has none (`workerd serve`). */
  store: Promise<CacheStore | undefined> | undefined;
  /**
   * This isolate's own copies, looked up before the Cache API: a hit is a map lookup, with no
   * Response to build, no body to copy and no cache round trip (the top per-request costs of a
   * cache hit, bench/edge/serve.ts). Bounded by bytes, oldest first; honours each copy's TTL.
   */
  hot: Map<string, { object: CachedObject; until: number }>;
  hotBytes: number;
  /** 64 MiB where memory is the only cache; 16 MiB next to the Cache API (Workers allow 128 MB). */
  hotBudget: number;
}

/** The part of the Cache API the edge uses. */
interface CacheStore {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
  delete(request: Request): Promise<boolean>;
}

/** What one isolate keeps in memory; an object above a quarter of the budget is never kept. */
const HOT_BUDGET_ALONE = 64 * 1024 * 1024;
const HOT_BUDGET_BESIDE_CACHE_API = 16 * 1024 * 1024;

function dropHot(cache: EdgeCache, key: string): boolean {
  const entry = cache.hot.get(key);
  if (!entry) return false;
  cache.hotBytes -= entry.object.body.byteLength;
  cache.hot.delete(key);
  return true;
}

function keepHot(cache: EdgeCache, key: string, object: CachedObject, ttlSeconds: number): void {
  const size = object.body.byteLength;
  if (size > cache.hotBudget / 4 || ttlSeconds <= 0) return;
  dropHot(cache, key);
  while (cache.hotBytes + size > cache.hotBudget) dropHot(cache, cache.hot.keys().next().value as string);
  cache.hot.set(key, { object, until: Date.now() + ttlSeconds * 1000 });
  cache.hotBytes += size;
}

/** The Cache API, or undefined under `workerd serve` without a cache service ("No Cache was configured"). */
function openStore(cache: EdgeCache): Promise<CacheStore | undefined> {
  cache.store ??= (async () => {
    try {
      const store = await caches.open(CACHE_NAME);
      await store.match(new Request('https://playback-cache.vidra.invalid/probe')); // throws when unconfigured
      cache.hotBudget = Math.min(cache.hotBudget, HOT_BUDGET_BESIDE_CACHE_API);
      return store as CacheStore;
    } catch {
      return undefined;
    }
  })();
  return cache.store;
}

const STORED_GROUPS = 10_000;
const CACHE_NAME = 'vidra-playback';

export function createEdgeCache(): EdgeCache {
  return {
    inflight: new Map(),
    stored: new Map(),
    store: undefined,
    hot: new Map(),
    hotBytes: 0,
    hotBudget: HOT_BUDGET_ALONE,
  };
}

/** Delete every copy this isolate stored for `group`. Returns how many the cache still held. */
export async function purgeGroup(cache: EdgeCache, group: string): Promise<number> {
  const keys = cache.stored.get(group);
  cache.stored.delete(group);
  if (!keys?.size) return 0;
  const inMemory = [...keys].map((key) => dropHot(cache, key));
  const store = await openStore(cache);
  const deleted = store
    ? await Promise.all([...keys].map((key) => store.delete(new Request(key))))
    : inMemory;
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
  const hot = cache.hot.get(key);
  if (hot) {
    if (hot.until > Date.now()) return { object: hot.object, hit: true };
    dropHot(cache, key);
  }
  const joined = cache.inflight.get(key);
  if (joined) return { object: await joined, hit: false };
  const store = await openStore(cache);
  const cacheKey = store ? new Request(key) : undefined;
  const cached = store && cacheKey ? await store.match(cacheKey) : undefined;
  if (cached) {
    if (group) remember(cache, group, key); // another isolate stored it; this one can purge it too
    const object = await bufferResponse(cached);
    keepHot(cache, key, object, maxAgeOf(cached.headers) ?? ttlOf(ttlSeconds, object));
    return { object, hit: true };
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
      const ttl = ttlOf(ttlSeconds, object);
      keepHot(cache, key, object, ttl);
      if (!store || !cacheKey) return forget();
      const headers = new Headers(object.headers);
      headers.set('cache-control', `public, max-age=${ttl}`);
      waitUntil(
        store.put(cacheKey, new Response(object.body.slice(0), { status: 200, headers })).finally(forget),
      );
    }, forget);
  }
  return { object: await pending, hit: false };
}

function ttlOf(ttlSeconds: number | ((object: CachedObject) => number), object: CachedObject): number {
  return typeof ttlSeconds === 'number' ? ttlSeconds : ttlSeconds(object);
}

/** Seconds of `max-age` in a stored copy's Cache-Control, if any. */
function maxAgeOf(headers: Headers): number | undefined {
  const value = /max-age=(\d+)/.exec(headers.get('cache-control') ?? '')?.[1];
  return value === undefined ? undefined : Number(value);
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
