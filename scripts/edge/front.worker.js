/**
 * Front worker of `npm run edge` (runs in workerd, next to the edge worker; see workerd-config.ts).
 *
 * 1. Static assets first, like Workers Static Assets: a GET or HEAD for a file listed in
 *    ASSET_TYPES (wrangler.toml's `[assets]` directory, listed at start-up) is read from the
 *    read-only disk service, with its content type; nothing else reaches the disk.
 * 2. Everything else goes to the edge worker. Cloudflare sets CF-Connecting-IP itself; here a
 *    client could forge it, so it is dropped, and refilled only from the header a trusted reverse
 *    proxy names (CLIENT_IP_HEADER; the last, proxy-appended entry of a list).
 *
 * @typedef {{ fetch(request: Request): Promise<Response> }} Fetcher
 * @typedef {{ EDGE: Fetcher, ASSETS: Fetcher, ASSET_TYPES: Record<string, string>, CLIENT_IP_HEADER?: string }} FrontEnv
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
          });
          for (const name of ['content-length', 'last-modified']) {
            const value = file.headers.get(name);
            if (value) headers.set(name, value);
          }
          return new Response(request.method === 'HEAD' ? null : file.body, { status: 200, headers });
        }
      }
    }
    const headers = new Headers(request.headers);
    headers.delete('cf-connecting-ip');
    const forwarded = env.CLIENT_IP_HEADER ? request.headers.get(env.CLIENT_IP_HEADER) : null;
    const clientIp = forwarded?.split(',').at(-1)?.trim();
    if (clientIp) headers.set('cf-connecting-ip', clientIp);
    return env.EDGE.fetch(new Request(request, { headers }));
  },
};
