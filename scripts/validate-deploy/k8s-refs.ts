import type { K8sObject } from './k8s-render.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const label = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

/** Whether every label of `selector` is on `labels`. */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

// biome-ignore lint/suspicious/noExplicitAny: pod specs are read loosely
const podSpecOf = (w: K8sObject): any => w.spec?.template?.spec ?? {};
const podLabelsOf = (w: K8sObject): Record<string, string> => w.spec?.template?.metadata?.labels ?? {};
// biome-ignore lint/suspicious/noExplicitAny: pod specs are read loosely
const containersOf = (w: K8sObject): any[] => [
  ...(podSpecOf(w).initContainers ?? []),
  ...(podSpecOf(w).containers ?? []),
];

/**
 * References between objects that the API server would accept but that break at run time:
 * selectors against pod labels, Service ports against Ingress backends and container ports,
 * autoscaler targets, configMap, secret and claim references, and one autoscaler per workload.
 */
export function crossReferenceProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));

  for (const w of workloads) {
    if (!selects(w.spec?.selector?.matchLabels, podLabelsOf(w)))
      problems.push(`${label(w)}: spec.selector.matchLabels do not match the pod template's labels`);
    for (const c of containersOf(w)) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !find('ConfigMap', from.configMapRef.name))
          problems.push(
            `${label(w)}: container ${c.name} reads ConfigMap ${from.configMapRef.name}, which is not defined`,
          );
        if (from.secretRef && !find('Secret', from.secretRef.name))
          problems.push(
            `${label(w)}: container ${c.name} reads Secret ${from.secretRef.name}, which is not defined`,
          );
      }
      for (const env of c.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
        if (!ref) continue;
        const kind = env.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap';
        const target = find(kind, ref.name);
        const keys = { ...(target?.data ?? {}), ...(target?.stringData ?? {}) };
        if (!target)
          problems.push(`${label(w)}: env ${env.name} reads ${kind} ${ref.name}, which is not defined`);
        else if (!(ref.key in keys))
          problems.push(
            `${label(w)}: env ${env.name} reads key ${ref.key}, which ${kind} ${ref.name} does not hold`,
          );
      }
    }
    for (const volume of podSpecOf(w).volumes ?? []) {
      const claim = volume.persistentVolumeClaim?.claimName;
      if (claim && !find('PersistentVolumeClaim', claim))
        problems.push(
          `${label(w)}: volume ${volume.name} claims PersistentVolumeClaim ${claim}, which is not defined`,
        );
    }
    if (w.kind === 'StatefulSet' && w.spec?.serviceName && !find('Service', w.spec.serviceName))
      problems.push(`${label(w)}: serviceName ${w.spec.serviceName} is not a Service`);
  }

  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const backends = workloads.filter((w) => selects(service.spec?.selector, podLabelsOf(w)));
    if (!service.spec?.selector || backends.length === 0) {
      problems.push(`${label(service)}: its selector matches no workload's pods`);
      continue;
    }
    for (const port of service.spec.ports ?? []) {
      if (typeof port.targetPort !== 'string') continue;
      for (const w of backends)
        if (
          !containersOf(w).some((c) =>
            (c.ports ?? []).some((p: { name?: string }) => p.name === port.targetPort),
          )
        )
          problems.push(
            `${label(service)}: targetPort ${port.targetPort} is not a named port of ${label(w)}`,
          );
    }
  }

  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of ingress.spec?.rules ?? [])
      for (const p of rule.http?.paths ?? []) {
        const backend = p.backend?.service;
        if (!backend) continue;
        const service = find('Service', backend.name);
        if (!service) {
          problems.push(`${label(ingress)}: backend Service ${backend.name} is not defined`);
          continue;
        }
        const ports = service.spec?.ports ?? [];
        const ok = ports.some(
          (sp: { name?: string; port: number }) =>
            sp.name === backend.port?.name || sp.port === backend.port?.number,
        );
        if (!ok)
          problems.push(
            `${label(ingress)}: backend port ${backend.port?.name ?? backend.port?.number} is not a port of Service ${backend.name}`,
          );
      }
  }

  const scaled = new Map<string, string[]>();
  for (const scaler of objects.filter(
    (o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject',
  )) {
    const ref = scaler.spec?.scaleTargetRef ?? {};
    const kind = ref.kind ?? 'Deployment';
    if (!find(kind, ref.name))
      problems.push(`${label(scaler)}: scaleTargetRef ${kind}/${ref.name} is not defined`);
    const key = `${kind}/${ref.name}`;
    scaled.set(key, [...(scaled.get(key) ?? []), label(scaler)]);
    const window =
      scaler.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ??
      scaler.spec?.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleDown?.stabilizationWindowSeconds;
    if (typeof window !== 'number' || window < 600)
      problems.push(
        `${label(scaler)}: scale-down stabilisation must be at least 600 s (has ${window ?? 'none'})`,
      );
  }
  for (const [target, scalers] of scaled)
    if (scalers.length > 1)
      problems.push(`${target} is scaled by ${scalers.join(' and ')}: never two autoscalers on one workload`);

  for (const selectorOwner of objects.filter(
    (o) => o.kind === 'PodDisruptionBudget' || o.kind === 'NetworkPolicy',
  )) {
    const selector =
      selectorOwner.kind === 'PodDisruptionBudget'
        ? selectorOwner.spec?.selector
        : selectorOwner.spec?.podSelector;
    if (!workloads.some((w) => selects(selector?.matchLabels, podLabelsOf(w))))
      problems.push(`${label(selectorOwner)}: its selector matches no workload's pods`);
  }
  return problems;
}
