/**
 * Static checks of every deployment file, offline: docker-compose.yml (each profile), the k8s
 * kustomizations, terraform/, the systemd units and wrangler.toml. Each external tool is optional and has a fallback.
 *
 *   npm run validate-deploy                        all of them, on the repo's files
 *   npm run validate-deploy -- --k8s <dir> --compose <file> --terraform <dir> --systemd <dir>   only those
 *   npm run validate-deploy -- --fallback          skip docker-compose, kubectl and terraform
 *   npm run validate-deploy -- --extract-terraform-schema   refresh deploy/terraform-schema/aws.json
 * Exits 1 with one readable line per problem.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkCompose } from './compose.js';
import { checkKustomization } from './k8s.js';
import { checkSystemdUnits } from './systemd.js';
import { checkTerraform, regenerateSchemaExtract } from './terraform.js';
import type { CheckResult } from './tools.js';
import { checkWrangler } from './wrangler.js';

const root = path.resolve(import.meta.dirname, '../..');
export const SCHEMA_EXTRACT = path.join(root, 'deploy', 'terraform-schema', 'aws.json');

const { values } = parseArgs({
  options: {
    compose: { type: 'string', multiple: true },
    k8s: { type: 'string', multiple: true },
    terraform: { type: 'string', multiple: true },
    systemd: { type: 'string', multiple: true },
    wrangler: { type: 'boolean' },
    fallback: { type: 'boolean' },
    'extract-terraform-schema': { type: 'boolean' },
  },
});

if (values['extract-terraform-schema']) {
  await regenerateSchemaExtract(path.join(root, 'terraform'), SCHEMA_EXTRACT);
  console.log(`wrote ${path.relative(root, SCHEMA_EXTRACT)}`);
  process.exit(0);
}

const chosen = Boolean(values.compose || values.k8s || values.terraform || values.systemd || values.wrangler);
const overlays = path.join(root, 'k8s', 'overlays');
const compose = values.compose ?? (chosen ? [] : [path.join(root, 'docker-compose.yml')]);
const k8s =
  values.k8s ??
  (chosen ? [] : [path.join(root, 'k8s'), ...readdirSync(overlays).map((o) => path.join(overlays, o))]);
const terraform = values.terraform ?? (chosen ? [] : [path.join(root, 'terraform')]);
const systemd = values.systemd ?? (chosen ? [] : [path.join(root, 'deploy', 'systemd')]);
const options = { useTool: !values.fallback };

const results: CheckResult[] = [];
for (const file of compose) results.push(checkCompose(path.resolve(file), options));
for (const dir of k8s) results.push(await checkKustomization(path.resolve(dir), root, options));
for (const dir of terraform) results.push(await checkTerraform(path.resolve(dir), SCHEMA_EXTRACT, options));
for (const dir of systemd) results.push(checkSystemdUnits(path.resolve(dir), options));
if (values.wrangler || !chosen) results.push(checkWrangler(root));

let failed = 0;
for (const result of results) {
  const where = path.relative(root, result.name.replace(/^\S+ /, '')) || result.name;
  const title = `${result.name.split(' ')[0]} ${where}`;
  if (result.problems.length === 0) console.log(`ok    ${title}  [${result.method}]`);
  else {
    failed += 1;
    console.log(`FAIL  ${title}  [${result.method}]`);
    for (const problem of result.problems) console.log(`  - ${problem.replaceAll('\n', '\n    ')}`);
  }
}
console.log(
  failed === 0
    ? `validate-deploy: ${results.length} checks passed`
    : `validate-deploy: ${failed} of ${results.length} checks failed`,
);
process.exit(failed === 0 ? 0 : 1);
