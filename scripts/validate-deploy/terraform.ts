import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  extractSchema,
  moduleProblems,
  parseModule,
  type SchemaExtract,
  typesUsed,
  writeExtract,
} from './terraform-schema.js';
import { type CheckResult, runTool, tidy, which } from './tools.js';

export const PLUGIN_DIR = '/opt/tf-plugins';

const tfFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(path.join(dir, f), 'utf8') }));

/** terraform init (offline, from the mirror) in a scratch copy, so the repo gets no .terraform folder. */
function initCopy(terraform: string, dir: string): { work: string; error?: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'vidra-tf-'));
  for (const f of tfFiles(dir)) cpSync(path.join(dir, f.name), path.join(work, f.name));
  const env = { CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const init = runTool(
    terraform,
    ['init', '-backend=false', '-input=false', '-no-color', `-plugin-dir=${PLUGIN_DIR}`],
    {
      cwd: work,
      env,
    },
  );
  return init.code === 0 ? { work } : { work, error: `terraform init: ${tidy(init.stderr || init.stdout)}` };
}

/** `terraform fmt -check` and `validate` against the real provider; without them, the HCL fallback. */
export async function checkTerraform(
  dir: string,
  schemaFile: string,
  options: { useTool?: boolean } = {},
): Promise<CheckResult> {
  const terraform = options.useTool === false ? undefined : which('terraform');
  const name = `terraform ${dir}`;
  if (!terraform || !existsSync(PLUGIN_DIR)) return fallback(dir, schemaFile);
  const problems: string[] = [];
  const fmt = runTool(terraform, ['fmt', '-check', '-diff', '-no-color', dir]);
  if (fmt.code !== 0)
    problems.push(`terraform fmt -check: files need formatting:\n${tidy(fmt.stdout || fmt.stderr)}`);
  const { work, error } = initCopy(terraform, dir);
  try {
    if (error) problems.push(error);
    else {
      const validate = runTool(terraform, ['validate', '-no-color'], {
        cwd: work,
        env: { CHECKPOINT_DISABLE: '1' },
      });
      if (validate.code !== 0)
        problems.push(`terraform validate: ${tidy(validate.stderr || validate.stdout)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { name, method: 'terraform fmt -check + validate (provider mirror)', problems };
}

async function fallback(dir: string, schemaFile: string): Promise<CheckResult> {
  const name = `terraform ${dir}`;
  const method = 'fallback: HCL parsed by @cdktf/hcl2json, arguments against the schema extract';
  let module: Awaited<ReturnType<typeof parseModule>>;
  try {
    module = await parseModule(tfFiles(dir));
  } catch (error) {
    return { name, method, problems: [`HCL does not parse: ${(error as Error).message}`] };
  }
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as SchemaExtract;
  return { name, method, problems: moduleProblems(module, schema) };
}

/** The HCL fallback alone (tests run it even where terraform is installed). */
export const checkTerraformFallback = fallback;

/** Regenerate the committed extract from the real provider schema. */
export async function regenerateSchemaExtract(dir: string, schemaFile: string): Promise<void> {
  const terraform = which('terraform');
  if (!terraform) throw new Error('terraform is not installed');
  const { work, error } = initCopy(terraform, dir);
  try {
    if (error) throw new Error(error);
    const out = runTool(terraform, ['providers', 'schema', '-json'], {
      cwd: work,
      env: { CHECKPOINT_DISABLE: '1' },
    });
    if (out.code !== 0) throw new Error(tidy(out.stderr));
    writeExtract(
      schemaFile,
      extractSchema(JSON.parse(out.stdout), typesUsed(await parseModule(tfFiles(dir)))),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
