/**
 * Copies the browser builds of hls.js and tus-js-client from node_modules into
 * `edge/public/static/vendor/`, next to the web app's own CSS and scripts, so Workers Static Assets
 * serves them (`[assets]` in wrangler.toml) under `wrangler dev` and `wrangler deploy` alike.
 *
 * Run it with `npx tsx scripts/build-web-assets.ts`; `npm start` and the browser test run it for you.
 * The copies are gitignored (edge/public/.gitignore): they are generated from the locked packages.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** Where the vendored files land; the URL path is the same minus `edge/public`. */
export const VENDOR_DIR = path.resolve(import.meta.dirname, '../edge/public/static/vendor');

/** Package-relative sources and the names the pages load them by (`/static/vendor/<name>`). */
const FILES = [
  { from: 'hls.js/dist/hls.min.js', to: 'hls.min.js' },
  { from: 'tus-js-client/dist/tus.min.js', to: 'tus.min.js' },
] as const;

/** Copy every vendored file and return what was written, with sizes, for the log line. */
export function buildWebAssets(): { file: string; bytes: number }[] {
  mkdirSync(VENDOR_DIR, { recursive: true });
  return FILES.map(({ from, to }) => {
    const target = path.join(VENDOR_DIR, to);
    // require.resolve finds the package wherever npm hoisted it; the file list is fixed above.
    const source = require.resolve(from);
    // Rewriting an unchanged file would make every running `wrangler dev` watching edge/public
    // reload and answer 503 meanwhile: suites started side by side hit exactly that.
    if (!existsSync(target) || !readFileSync(target).equals(readFileSync(source)))
      copyFileSync(source, target);
    return { file: target, bytes: statSync(target).size };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { file, bytes } of buildWebAssets()) {
    console.log(`web assets: ${path.relative(process.cwd(), file)} (${Math.round(bytes / 1024)} KiB)`);
  }
}
