import { parseIngestEnv } from '../../ingest/src/env.js';
import { parseOriginEnv } from '../../origin/src/env.js';
import { parseTranscoderEnv } from '../../transcoder/src/env.js';
import type { K8sObject } from './k8s-render.js';

/** Each Vidra image's own env parser: a manifest whose env the tier would refuse fails here, not at rollout. */
const TIERS: Array<{ image: RegExp; parse: (env: Record<string, string>) => unknown }> = [
  { image: /vidra-origin/, parse: parseOriginEnv },
  { image: /vidra-transcoder/, parse: parseTranscoderEnv },
  { image: /vidra-ingest/, parse: parseIngestEnv },
];

// Stand-ins for values the kubelet fills in (downward API).
const FIELD_VALUES: Record<string, string> = {
  'metadata.name': 'pod-0',
  'status.hostIP': '10.0.0.10',
  'status.podIP': '10.0.0.11',
};

/** The environment a container of `w` would start with: envFrom ConfigMaps and Secrets, then env. */
// biome-ignore lint/suspicious/noExplicitAny: containers are read loosely
function containerEnv(objects: K8sObject[], container: any): Record<string, string> {
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const dataOf = (o: K8sObject | undefined) => ({ ...(o?.data ?? {}), ...(o?.stringData ?? {}) });
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, dataOf(find('ConfigMap', from.configMapRef.name)));
    if (from.secretRef) Object.assign(env, dataOf(find('Secret', from.secretRef.name)));
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.fieldRef) env[e.name] = FIELD_VALUES[e.valueFrom.fieldRef.fieldPath] ?? 'x';
    else if (e.valueFrom?.secretKeyRef)
      env[e.name] = dataOf(find('Secret', e.valueFrom.secretKeyRef.name))[e.valueFrom.secretKeyRef.key] ?? '';
    else if (e.valueFrom?.configMapKeyRef)
      env[e.name] =
        dataOf(find('ConfigMap', e.valueFrom.configMapKeyRef.name))[e.valueFrom.configMapKeyRef.key] ?? '';
  }
  return env;
}

/** Every Vidra container's environment, parsed by its tier's own env schema. */
export function tierEnvProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const w of objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)))
    for (const container of w.spec?.template?.spec?.containers ?? []) {
      const tier = TIERS.find((t) => t.image.test(container.image ?? ''));
      if (!tier) continue;
      try {
        tier.parse(containerEnv(objects, container));
      } catch (error) {
        const message = (error as Error).message.replace(/\n\s*/g, ' ');
        problems.push(
          `${w.kind}/${w.metadata.name}: container ${container.name} would refuse to start: ${message}`,
        );
      }
    }
  return problems;
}
