import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runTool, tidy, which } from './tools.js';

/** A Kubernetes object as rendered: only the fields the checks read are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are inspected loosely; the schema checks type them
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export type Rendered = { objects: K8sObject[]; method: string } | { error: string; method: string };

function parseManifests(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

/**
 * Without kubectl: the kustomization's resources (files and folders, recursively) with its
 * namespace applied and `$patch: delete` patches honoured. Other patches and image rewrites are not
 * applied; they do not change fields' names.
 */
export function renderWithoutKubectl(dir: string): K8sObject[] {
  const kustomization = parseManifests(
    readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'),
    dir,
  )[0] as unknown as {
    namespace?: string;
    resources?: string[];
    patches?: Array<{ target?: { kind?: string; name?: string }; patch?: string }>;
  };
  const loaded = (kustomization.resources ?? []).flatMap((entry) => {
    const target = path.join(dir, entry);
    if (existsSync(target) && statSync(target).isDirectory()) return renderWithoutKubectl(target);
    return parseManifests(readFileSync(target, 'utf8'), target);
  });
  // Deletions do change what exists (an overlay swapping one autoscaler for another), so apply them.
  const deleted = (kustomization.patches ?? []).filter(
    (p) => p.patch?.includes('$patch: delete') && p.target,
  );
  const objects = loaded.filter(
    (o) => !deleted.some((p) => p.target?.kind === o.kind && p.target?.name === o.metadata.name),
  );
  if (kustomization.namespace)
    for (const o of objects) if (o.kind !== 'Namespace') o.metadata.namespace = kustomization.namespace;
  return objects;
}

/** `kubectl kustomize <dir>` (offline), or the plain loader above when kubectl is absent. */
export function renderKustomization(dir: string, options: { useTool?: boolean } = {}): Rendered {
  const kubectl = options.useTool === false ? undefined : which('kubectl');
  if (!kubectl) {
    try {
      return { objects: renderWithoutKubectl(dir), method: 'fallback: resources loaded without kustomize' };
    } catch (error) {
      return { error: (error as Error).message, method: 'fallback loader' };
    }
  }
  const { code, stdout, stderr } = runTool(kubectl, ['kustomize', dir]);
  if (code !== 0) return { error: `kubectl kustomize ${dir}: ${tidy(stderr)}`, method: 'kubectl kustomize' };
  return { objects: parseManifests(stdout, dir), method: 'kubectl kustomize' };
}
