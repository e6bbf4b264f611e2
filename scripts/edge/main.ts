/**
 * `npm run edge`: the edge worker alone, under `workerd serve` (the production runtime), configured
 * from the environment as compose and k8s do. It bundles the worker with wrangler (the same bundle
 * `wrangler deploy` uploads), generates the workerd config (workerd-config.ts) and runs workerd
 * until SIGINT/SIGTERM. `wrangler dev` stays the development path (`npm start`).
 */
import { execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../edge/src/env.js';
import { nodeVersionProblem } from '../../protocol/runtime.js';
import { detectParentDeath, withParentDeath } from '../../transcoder/src/media/parent-death.js';
import { buildWebAssets } from '../build-web-assets.js';
import { workerdBin, wranglerBin } from '../wrangler-bin.js';
import { edgeVarsFromEnv, parseEdgeLauncherEnv } from './env.js';
import {
  assetManifest,
  FRONT_WORKER,
  networkAllow,
  type WorkerModule,
  withMediaProxy,
  workerdConfig,
} from './workerd-config.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The bundle's modules, entry first; source maps and wrangler's README are not modules. */
function bundleModules(dir: string): WorkerModule[] {
  const types: Record<string, WorkerModule['type']> = { js: 'esModule', mjs: 'esModule', wasm: 'wasm' };
  const modules = readdirSync(dir).flatMap((name): WorkerModule[] => {
    const type = types[name.slice(name.lastIndexOf('.') + 1)];
    return type && name !== FRONT_WORKER ? [{ name, type }] : [];
  });
  return modules.sort((a, b) => Number(b.name === 'index.js') - Number(a.name === 'index.js'));
}

/** Bundle the worker into `dir` with wrangler.toml's top-level settings; return them. */
async function bundle(dir: string) {
  const { unstable_readConfig } = await import('wrangler');
  const config = unstable_readConfig(
    { config: path.join(root, 'wrangler.toml'), env: '' },
    { hideWarnings: true },
  );
  await run(process.execPath, [wranglerBin(), 'deploy', '--dry-run', '--env', '', '--outdir', dir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    timeout: 120_000,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) =>
    fail(`Could not bundle the edge worker:\n${error.stderr || error.stdout || error.message}`),
  );
  const assetsDir = path.resolve(root, config.assets?.directory ?? 'edge/public');
  return { config, assetsDir };
}

function listAssets(directory: string): Record<string, string> {
  const files = readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(directory, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    );
  let ignore = '';
  try {
    ignore = readFileSync(path.join(directory, '.assetsignore'), 'utf8');
  } catch {
    // no ignore file
  }
  return assetManifest(files, ignore);
}

const nodeProblem = nodeVersionProblem(process.versions.node, 'edge');
if (nodeProblem) fail(nodeProblem);
let env: ReturnType<typeof parseEdgeLauncherEnv>;
try {
  env = parseEdgeLauncherEnv();
} catch (error) {
  fail((error as Error).message);
}
const url = `http://${env.EDGE_HOST.includes(':') ? `[${env.EDGE_HOST}]` : env.EDGE_HOST}:${env.EDGE_PORT}`;
// Issued playback URLs start with PUBLIC_URL, never the request's Host header: default to where we listen.
const vars = { PUBLIC_URL: url, ...edgeVarsFromEnv() };
// The worker validates its bindings itself, but only on the first request: refuse to start instead.
const checked = loadConfig(vars);
if (!checked.ok)
  fail(`Invalid edge environment variables:\n${checked.problems.map((p) => `  ${p}`).join('\n')}`);

// hls.js and tus-js-client are served from edge/public/static/vendor; copy the locked builds there.
buildWebAssets();
// The generated config holds the secrets (INTERNAL_API_TOKEN, PLAYBACK_KEYS, ...) as text bindings,
// so that workerd's argv never does: the folder is private (0700) and the file 0600.
const buildDir = env.EDGE_BUILD_DIR
  ? path.resolve(env.EDGE_BUILD_DIR)
  : mkdtempSync(path.join(tmpdir(), 'vidra-edge-'));
mkdirSync(buildDir, { recursive: true, mode: 0o700 });
chmodSync(buildDir, 0o700);
const { config, assetsDir } = await bundle(buildDir);
copyFileSync(path.join(import.meta.dirname, FRONT_WORKER), path.join(buildDir, FRONT_WORKER));
const configFile = path.join(buildDir, 'workerd.capnp');
// Removed first: `mode` applies only to a file being created, and an old one may be wider.
rmSync(configFile, { force: true });
writeFileSync(
  configFile,
  workerdConfig({
    modules: bundleModules(buildDir),
    compatibilityDate: config.compatibility_date ?? fail('wrangler.toml has no compatibility_date'),
    compatibilityFlags: config.compatibility_flags,
    bindings: vars,
    host: env.EDGE_HOST,
    port: env.EDGE_PORT,
    assets: { directory: assetsDir, files: listAssets(assetsDir) },
    outboundAllow: withMediaProxy(
      networkAllow(
        [...checked.config.origins, checked.config.upstash?.url, checked.config.s3?.endpoint].filter(
          (url): url is string => url !== undefined,
        ),
      ),
      checked.config.mediaProxy,
    ),
  }),
  { mode: 0o600 },
);

// Tied to this launcher like the transcoder's FFmpeg: a launcher killed outright takes workerd along.
const serve = withParentDeath(detectParentDeath(), workerdBin(), ['serve', configFile]);
const workerd = spawn(serve.command, serve.args, { cwd: buildDir, stdio: ['pipe', 'inherit', 'inherit'] });
const cleanUp = () => {
  if (!env.EDGE_BUILD_DIR) rmSync(buildDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => workerd.kill(signal));
workerd.once('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
});

for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
  const healthy = await fetch(`${url}/edge/healthz`).then(
    (response) => response.ok,
    () => false,
  );
  if (healthy) {
    console.log(`edge listening on ${url} (workerd serve, origins ${checked.config.origins.join(', ')})`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
