import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { K8sObject } from './k8s-render.js';
import { runTool } from './tools.js';

/** Where kubernetes-models keeps each API group's classes (their validate() checks types and required fields). */
function modelModule(apiVersion: string): string | undefined {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

/** The TypeScript type of each kind (kubernetes-types; KEDA's from @kubernetes-models/keda). */
function typeExpression(apiVersion: string, kind: string): string | undefined {
  if (apiVersion.startsWith('keda.sh/')) return `import('@kubernetes-models/keda/${apiVersion}').I${kind}`;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const folder = (group as string).replace(/\.k8s\.io$/, '');
  return `import('kubernetes-types/${folder}/${version}').${kind}`;
}

const label = (o: K8sObject) => `${o.kind}/${o.metadata?.name ?? '?'}`;

/** Types and required fields, per object, with kubernetes-models. */
export async function modelProblems(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const module = modelModule(object.apiVersion);
    // biome-ignore lint/suspicious/noExplicitAny: classes are looked up by kind at run time
    let exports: Record<string, any>;
    try {
      exports = await import(module as string);
    } catch {
      problems.push(`${label(object)}: unknown apiVersion ${object.apiVersion}`);
      continue;
    }
    const Model = exports[object.kind];
    if (!Model) {
      problems.push(`${label(object)}: ${object.apiVersion} has no kind ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${label(object)}: ${(error as Error).message.replaceAll('\n', '; ')}`);
    }
  }
  return problems;
}

/**
 * Unknown fields, which kubernetes-models lets through: every object is written as a literal that
 * `satisfies` its kubernetes-types type, and `tsc --strict` reports excess properties by name.
 */
export function unknownFieldProblems(objects: K8sObject[], root: string): string[] {
  const dir = path.join(root, 'node_modules', '.cache', `vidra-validate-deploy-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const owners: Array<{ from: number; object: K8sObject }> = [];
  objects.forEach((object, i) => {
    owners.push({ from: lines.length + 1, object });
    const type = typeExpression(object.apiVersion, object.kind);
    lines.push(
      ...`export const object${i} = ${JSON.stringify(object, null, 2)} satisfies ${type};`.split('\n'),
    );
  });
  const file = path.join(dir, 'manifests.ts');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [
    tsc,
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    '--module',
    'esnext',
    '--moduleResolution',
    'bundler',
  ];
  const { stdout } = runTool(process.execPath, [...args, '--target', 'es2022', '--pretty', 'false', file]);
  rmSync(dir, { recursive: true, force: true });
  return stdout
    .split('\n')
    .filter((line) => line.includes('error TS'))
    .map((line) => {
      const at = Number(/\((\d+),\d+\)/.exec(line)?.[1] ?? 0);
      const owner = owners.filter((o) => o.from <= at).at(-1);
      const message = line
        .slice(line.indexOf('error TS'))
        .replace(/^error TS\d+: /, '')
        .replace(/'"([^"]+)"'/g, "'$1'");
      return `${owner ? label(owner.object) : 'manifests'}: ${message}`;
    });
}
