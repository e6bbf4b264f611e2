import { createRequire } from 'node:module';

/**
 * Path of wrangler's CLI script. wrangler's package exports do not include `bin/`, so it is found
 * next to its package.json.
 */
export function wranglerBin(): string {
  return createRequire(import.meta.url)
    .resolve('wrangler/package.json')
    .replace(/package\.json$/, 'bin/wrangler.js');
}

/**
 * Path of the workerd binary wrangler itself runs (its own dependency, so the versions match the
 * compatibility date wrangler accepts).
 */
export function workerdBin(): string {
  const wranglerPackage = createRequire(import.meta.url).resolve('wrangler/package.json');
  return createRequire(wranglerPackage)
    .resolve('workerd/package.json')
    .replace(/package\.json$/, 'bin/workerd');
}
