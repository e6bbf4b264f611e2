/**
 * The workerd configuration `npm run edge` serves the edge with: a pure function of what the
 * launcher found (the bundled modules, wrangler.toml's compatibility settings, the static assets)
 * and the environment, so its exact output is unit-tested without starting workerd.
 *
 * Shape: a small front worker (`front.worker.js`) owns the socket. It answers the files of
 * wrangler.toml's `[assets]` directory from a read-only disk service before the edge runs, as
 * Workers Static Assets does, and hands every other request to the edge worker.
 */

/** A module of the bundle, embedded by a path relative to the config file. */
export interface WorkerModule {
  name: string;
  type: 'esModule' | 'wasm' | 'text' | 'data';
}

export interface WorkerdConfigInput {
  /** The edge's modules, entry point first (`wrangler deploy --dry-run --outdir` output). */
  modules: WorkerModule[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Text bindings of the edge worker: its vars and secrets. */
  bindings: Record<string, string>;
  host: string;
  port: number;
  /** Static assets: the absolute directory and, per URL path, its content type. */
  assets: { directory: string; files: Record<string, string> };
  /** workerd network classes the edge may reach (see `networkAllow`). */
  outboundAllow: string[];
}

/** File name of the front worker next to the config. */
export const FRONT_WORKER = 'front.worker.js';

/** A Cap'n Proto text literal: quotes, backslashes and control characters escaped. */
export function capnpString(value: string): string {
  let escaped = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') escaped += `\\${ch}`;
    else if (ch === '\n') escaped += '\\n';
    else if (ch === '\t') escaped += '\\t';
    else if (code < 0x20 || code === 0x7f) escaped += `\\x${code.toString(16).padStart(2, '0')}`;
    else escaped += ch;
  }
  return `"${escaped}"`;
}

const isIpv4 = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

function ipv4Class(host: string): 'local' | 'private' | 'public' {
  const [a = 0, b = 0] = host.split('.').map(Number);
  if (a === 127) return 'local';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'private';
  return 'public';
}

/**
 * The workerd network classes the edge needs to reach these URLs (origins, Upstash, S3). workerd
 * allows only `public` by default, which would refuse an origin on loopback or a private network.
 * A DNS name may resolve to a private address (compose and k8s service names do), so a name
 * allows both `public` and `private`; only loopback names and literals open `local`.
 */
/**
 * The network classes once the federation media proxy is on: peers are public hosts, and private
 * or loopback ones only where the operator allowed them (FEDERATION_MEDIA_PROXY_PRIVATE).
 */
export function withMediaProxy(allow: string[], proxy: { allowPrivate: boolean } | undefined): string[] {
  if (!proxy) return allow;
  const classes = new Set([...allow, 'public', ...(proxy.allowPrivate ? ['private', 'local'] : [])]);
  return ['public', 'private', 'local'].filter((kind) => classes.has(kind));
}

export function networkAllow(urls: string[]): string[] {
  const allow = new Set<string>();
  for (const raw of urls) {
    const host = new URL(raw).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') allow.add('local');
    else if (isIpv4(host)) allow.add(ipv4Class(host));
    else if (host.includes(':')) allow.add(/^f[cd]/.test(host) ? 'private' : 'public');
    else allow.add('public').add('private');
  }
  return ['public', 'private', 'local'].filter((kind) => allow.has(kind));
}

const CONTENT_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  ico: 'image/x-icon',
  jpg: 'image/jpeg',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  mjs: 'text/javascript; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
  txt: 'text/plain; charset=utf-8',
  wasm: 'application/wasm',
  webp: 'image/webp',
  woff2: 'font/woff2',
};

/** The content type a static asset is served with, from its extension. */
export function assetContentType(file: string): string {
  const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** Files at the root of an assets directory that configure Workers Static Assets, never served. */
const ASSETS_CONFIG_FILES = new Set(['_headers', '_redirects']);

/**
 * Which files of an assets directory are served, as wrangler uploads them: relative POSIX paths
 * in, URL paths out, without dotfiles (`.assetsignore`, `.gitignore`), without Workers Static
 * Assets' own config files (`_headers`, `_redirects`) and without the names that `.assetsignore`
 * lists. Only literal names are honoured, not glob patterns.
 */
export function assetManifest(files: string[], assetsIgnore = ''): Record<string, string> {
  const ignored = new Set(
    assetsIgnore
      .split('\n')
      .map((line) => line.trim().replace(/^\//, ''))
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  const manifest: Record<string, string> = {};
  for (const file of [...files].sort()) {
    const parts = file.split('/');
    if (
      parts.some((part) => part.startsWith('.')) ||
      ASSETS_CONFIG_FILES.has(file) ||
      ignored.has(file) ||
      ignored.has(parts.at(-1) ?? '')
    )
      continue;
    manifest[`/${file}`] = assetContentType(file);
  }
  return manifest;
}

const list = (items: string[], indent: string) =>
  items.length === 0 ? '[]' : `[\n${items.map((item) => `${indent}  ${item},`).join('\n')}\n${indent}]`;

/** Render the whole `workerd serve` config. */
export function workerdConfig(input: WorkerdConfigInput): string {
  const address = input.host.includes(':') ? `[${input.host}]:${input.port}` : `${input.host}:${input.port}`;
  const modules = input.modules.map(
    (module) => `(name = ${capnpString(module.name)}, ${module.type} = embed ${capnpString(module.name)})`,
  );
  const bindings = Object.entries(input.bindings)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `(name = ${capnpString(name)}, text = ${capnpString(value)})`);
  const frontBindings = [
    '(name = "EDGE", service = "edge")',
    '(name = "ASSETS", service = "assets")',
    `(name = "ASSET_TYPES", json = ${capnpString(JSON.stringify(input.assets.files))})`,
  ];
  const flags = input.compatibilityFlags.map(capnpString);
  return `# Generated by scripts/edge/main.ts for \`workerd serve\`; do not edit.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "front", worker = .front),
    (name = "edge", worker = .edge),
    (name = "assets", disk = (path = ${capnpString(input.assets.directory)}, writable = false, allowDotfiles = false)),
    (name = "outbound", network = (allow = [${input.outboundAllow.map(capnpString).join(', ')}], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [(name = "http", address = ${capnpString(address)}, http = (), service = "front")],
);

const edge :Workerd.Worker = (
  modules = ${list(modules, '  ')},
  compatibilityDate = ${capnpString(input.compatibilityDate)},
  compatibilityFlags = ${list(flags, '  ')},
  bindings = ${list(bindings, '  ')},
  globalOutbound = "outbound",
);

const front :Workerd.Worker = (
  modules = [(name = "${FRONT_WORKER}", esModule = embed "${FRONT_WORKER}")],
  compatibilityDate = ${capnpString(input.compatibilityDate)},
  bindings = ${list(frontBindings, '  ')},
);
`;
}
