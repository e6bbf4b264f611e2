/**
 * Front worker of `npm run edge` (runs in workerd, next to the edge worker; see workerd-config.ts).
 *
 * 1. Static assets first, like Workers Static Assets: a GET or HEAD for a file listed in
 *    ASSET_TYPES (wrangler.toml's `[assets]` directory, listed at start-up) is read from the
 *    read-only disk service, with its content type; nothing else reaches the disk.
 *    Like every edge answer, they carry `X-Content-Type-Options: nosniff`.
 * 2. Everything else goes to the edge worker. Cloudflare sets CF-Connecting-IP itself; here only
 *    a client could, so it is dropped. The edge reads the client address from the one source its
 *    CLIENT_IP_SOURCE names (e.g. `header:x-real-ip`, set by the operator's reverse proxy).
 *
 * @typedef {{ fetch(request: Request): Promise<Response> }} Fetcher
 * @typedef {{ EDGE: Fetcher, ASSETS: Fetcher, ASSET_TYPES: Record<string, string> }} FrontEnv
 */
export default {
  /**
   * @param {Request} request
   * @param {FrontEnv} env
   */
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'GET' || request.method === 'HEAD') {
      const type = Object.hasOwn(env.ASSET_TYPES, url.pathname) ? env.ASSET_TYPES[url.pathname] : undefined;
      if (type) {
        const file = await env.ASSETS.fetch(
          new Request(new URL(url.pathname, 'http://assets'), { method: 'GET' }),
        );
        if (file.ok) {
          const headers = new Headers({
            'content-type': type,
            'cache-control': 'public, max-age=0, must-revalidate',
            'x-content-type-options': 'nosniff',
          });
          for (const name of ['content-length', 'last-modified']) {
            const value = file.headers.get(name);
            if (value) headers.set(name, value);
          }
          return new Response(request.method === 'HEAD' ? null : file.body, { status: 200, headers });
        }
      }
    }
    // Copied only when there is something to drop: most requests go through untouched.
    if (!request.headers.has('cf-connecting-ip')) return env.EDGE.fetch(request);
    const headers = new Headers(request.headers);
    headers.delete('cf-connecting-ip');
    return env.EDGE.fetch(new Request(request, { headers }));
  },
};
