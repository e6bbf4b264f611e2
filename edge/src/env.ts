// zod/mini rather than classic zod: same parser, but tree-shakable, so the worker bundle stays ~20 KB
// instead of ~480 KB (classic zod drags every locale in), which matters for edge cold starts.
import * as z from 'zod/mini';

/**
 * The raw bindings wrangler hands the worker (`[vars]` in wrangler.toml). Everything is typed as
 * loosely as the runtime really delivers it: nothing is trusted until `EdgeEnvSchema` has parsed it.
 */
export type EdgeBindings = {
  /** Comma-separated origin base URLs, e.g. `https://origin-1.example.com,https://origin-2.example.com`. */
  ORIGINS?: unknown;
};

/**
 * One origin: an absolute http(s) URL with nothing after the host, normalised to `scheme://host[:port]`.
 * A path prefix is refused rather than silently dropped, because the proxy maps the incoming path
 * onto the origin verbatim and a half-honoured prefix would route requests somewhere unintended.
 */
const OriginSchema = z.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
  z.transform((raw: string, ctx) => {
    const url = new URL(raw);
    if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
      ctx.issues.push({ code: 'custom', input: raw, message: 'must not carry a path, query or fragment' });
    } else if (url.username !== '' || url.password !== '') {
      ctx.issues.push({ code: 'custom', input: raw, message: 'must not embed credentials' });
    }
    return url.origin;
  }),
);

/** Zod schema for the edge bindings; its output is the typed, normalised `EdgeConfig`. */
export const EdgeEnvSchema = z.pipe(
  z.object({
    ORIGINS: z.pipe(
      z.pipe(
        z.string({ error: 'required: a comma-separated list of origin URLs' }),
        z.transform((list: string) =>
          list
            .split(',')
            .map((entry) => entry.trim())
            .filter((entry) => entry !== ''),
        ),
      ),
      z.array(OriginSchema).check(z.minLength(1, { error: 'must list at least one origin' })),
    ),
  }),
  z.transform((env) => ({ origins: env.ORIGINS })),
);

/** What the rest of the edge works with once the bindings have been validated. */
export type EdgeConfig = z.output<typeof EdgeEnvSchema>;

/** Outcome of `loadConfig`: either a config or a human-readable list of what is wrong. */
export type LoadConfigResult = { ok: true; config: EdgeConfig } | { ok: false; problems: string[] };

// Workers reuse one env object for every request an isolate serves, so parsing once per env object
// keeps validation off the hot path while still failing loudly on the first request after a bad deploy.
const cache = new WeakMap<object, LoadConfigResult>();

/**
 * Parse and cache the bindings. Never throws: a misconfigured edge must still answer with the
 * house error shape instead of an opaque runtime exception.
 */
export function loadConfig(env: EdgeBindings | undefined): LoadConfigResult {
  const cached = env ? cache.get(env) : undefined;
  if (cached) return cached;
  const parsed = EdgeEnvSchema.safeParse(env ?? {});
  const result: LoadConfigResult = parsed.success
    ? { ok: true, config: parsed.data }
    : {
        ok: false,
        problems: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`),
      };
  if (env) cache.set(env, result);
  return result;
}
