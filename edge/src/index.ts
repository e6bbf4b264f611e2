import { createApp } from './app.js';

/**
 * Worker entry point (wrangler.toml `main`).
 *
 * The app is built once per isolate rather than per request: Hono compiles its router on first
 * use, and the config cache in `env.ts` is keyed on the env object, so both are reused across the
 * many requests an isolate serves. Only `fetch` is exported for now; scheduled or queue handlers
 * (e.g. cache purges) will join it here.
 */
const app = createApp();

export default {
  fetch: app.fetch,
};
