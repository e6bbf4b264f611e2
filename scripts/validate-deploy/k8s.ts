import { tierEnvProblems } from './k8s-env.js';
import { crossReferenceProblems } from './k8s-refs.js';
import { renderKustomization } from './k8s-render.js';
import { modelProblems, unknownFieldProblems } from './k8s-schema.js';
import type { CheckResult } from './tools.js';

/** Render a kustomization, then check types, required and unknown fields, and cross-references. */
export async function checkKustomization(
  dir: string,
  root: string,
  options: { useTool?: boolean } = {},
): Promise<CheckResult> {
  const rendered = renderKustomization(dir, options);
  const name = `k8s ${dir}`;
  const method = `${rendered.method}; kubernetes-models; kubernetes-types (tsc --strict); cross-references; tier env schemas`;
  if ('error' in rendered) return { name, method, problems: [rendered.error] };
  const problems = [
    ...(await modelProblems(rendered.objects)),
    ...unknownFieldProblems(rendered.objects, root),
    ...crossReferenceProblems(rendered.objects),
    ...tierEnvProblems(rendered.objects),
  ];
  return { name, method, problems: [...new Set(problems)] };
}
