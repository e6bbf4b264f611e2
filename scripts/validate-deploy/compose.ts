import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type CheckResult, runTool, tidy, which } from './tools.js';

// Keys docker-compose 1.29 accepts (compose spec 3.x, without `name`, `include` and `develop`, which
// it refuses): the fallback when docker-compose is not installed.
const TOP_LEVEL = new Set(['version', 'services', 'volumes', 'networks', 'configs', 'secrets']);
const SERVICE_KEYS = new Set(
  `build cap_add cap_drop cgroup_parent command configs container_name cpu_count cpu_percent cpu_shares
  cpu_quota cpu_period cpu_rt_period cpu_rt_runtime cpus cpuset credential_spec depends_on deploy devices
  dns dns_opt dns_search domainname entrypoint env_file environment expose extends external_links
  extra_hosts group_add healthcheck hostname image init ipc isolation labels links logging mac_address
  mem_limit mem_reservation mem_swappiness memswap_limit network_mode networks oom_kill_disable
  oom_score_adj pid pids_limit platform ports privileged profiles pull_policy read_only restart runtime
  scale secrets security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt sysctls tmpfs
  tty ulimits user userns_mode volumes volumes_from working_dir`.split(/\s+/),
);

/** The profiles the file's services name, so that each one is checked. */
export function composeProfiles(file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services?: Record<string, { profiles?: string[] }>;
  };
  const profiles = new Set<string>();
  for (const service of Object.values(doc.services ?? {}))
    for (const p of service?.profiles ?? []) profiles.add(p);
  return [...profiles].sort();
}

/** Keys the fallback does not know, as readable problems. */
export function composeKeyProblems(file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(doc)) {
    if (key.startsWith('x-')) continue;
    if (!TOP_LEVEL.has(key))
      problems.push(`${file}: top-level key '${key}' is not supported by docker-compose 1.29`);
  }
  const services = (doc.services ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, service] of Object.entries(services))
    for (const key of Object.keys(service ?? {}))
      if (!SERVICE_KEYS.has(key)) problems.push(`${file}: services.${name}: unknown key '${key}'`);
  return problems;
}

/** `docker-compose config -q` for the default services and then every profile, or the key fallback. */
export function checkCompose(file: string, options: { useTool?: boolean } = {}): CheckResult {
  const profiles = composeProfiles(file);
  const tool = options.useTool === false ? undefined : which('docker-compose');
  if (!tool)
    return {
      name: `compose ${file}`,
      method: 'fallback: keys against compose 1.29',
      problems: composeKeyProblems(file),
    };
  const problems: string[] = [];
  for (const profile of [undefined, ...profiles]) {
    const args = ['-f', file, ...(profile ? ['--profile', profile] : []), 'config', '-q'];
    const { code, stdout, stderr } = runTool(tool, args, { env: { COMPOSE_PROJECT_NAME: 'vidra' } });
    if (code !== 0) problems.push(`profile ${profile ?? '(default)'}: ${tidy(stderr || stdout)}`);
  }
  const label = ['default', ...profiles].join(', ');
  return { name: `compose ${file}`, method: `docker-compose config -q (profiles: ${label})`, problems };
}
