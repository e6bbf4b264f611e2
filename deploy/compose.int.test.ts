// Static checks of the single-server layout in docker-compose.yml (no Docker engine needed).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const composePath = join(root, 'docker-compose.yml');

type Env = Record<string, string | number | boolean | null> | string[];
type PortEntry = string | number | { host_ip?: string; published?: string | number; target?: number };
type VolumeEntry = string | { type?: string; source?: string; target?: string };

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: PortEntry[];
  expose?: (string | number)[];
  volumes?: VolumeEntry[];
  environment?: Env;
  healthcheck?: { test?: string | string[] };
  command?: string | string[];
  entrypoint?: string | string[];
  deploy?: { replicas?: number };
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// `merge: true`: the file shares the origin definition through a YAML merge key (`<<: *origin`).
const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services;

const EXPECTED_SERVICES = [
  'postgres',
  'redis',
  'redis-rest',
  'minio',
  'minio-init',
  'origin-1',
  'origin-2',
  'lb',
  'transcoder-1',
  'transcoder-2',
  'ingest',
  'edge',
];
const TRANSCODERS = ['transcoder-1', 'transcoder-2'];
const ORIGINS = ['origin-1', 'origin-2'];

function service(name: string): Service {
  const s = services[name];
  if (!s) throw new Error(`service ${name} missing from docker-compose.yml`);
  return s;
}

function envOf(s: Service): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(s.environment)) {
    for (const entry of s.environment) {
      const i = entry.indexOf('=');
      if (i > 0) out[entry.slice(0, i)] = entry.slice(i + 1);
    }
  } else if (s.environment) {
    for (const [k, v] of Object.entries(s.environment)) out[k] = v === null ? '' : String(v);
  }
  return out;
}

function dependsOn(s: Service): Record<string, string | undefined> {
  if (!s.depends_on) return {};
  if (Array.isArray(s.depends_on)) return Object.fromEntries(s.depends_on.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(s.depends_on).map(([k, v]) => [k, v?.condition]));
}

function buildOf(s: Service): { context: string; dockerfile: string } | undefined {
  if (!s.build) return undefined;
  if (typeof s.build === 'string') return { context: s.build, dockerfile: 'Dockerfile' };
  return { context: s.build.context ?? '.', dockerfile: s.build.dockerfile ?? 'Dockerfile' };
}

/** Host IP of a published port, or '' when it is bound on all interfaces. Throws on `expose`-like input. */
function hostIpOf(port: PortEntry): string {
  if (typeof port === 'number') return '';
  if (typeof port === 'string') {
    const spec = port.replace(/\/(tcp|udp)$/, '');
    const parts = spec.split(':');
    // ip:host:container (IPv4 only here; IPv6 host ips would contain more colons and fail the check).
    return parts.length === 3 ? (parts[0] ?? '') : '';
  }
  return port.host_ip ?? '';
}

function publishedOf(port: PortEntry): string {
  if (typeof port === 'number') return String(port);
  if (typeof port === 'string') {
    const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
    return parts.length >= 2 ? (parts[parts.length - 2] ?? '') : (parts[0] ?? '');
  }
  return String(port.published ?? '');
}

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, bin);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it('defines every service of the single-server layout', () => {
    expect(Object.keys(services).sort()).toEqual(expect.arrayContaining(EXPECTED_SERVICES));
    expect(service('postgres').image).toMatch(/^postgres:16(\b|$)/);
    expect(service('redis').image).toMatch(/^redis:7(\b|$)/);
    // The project's bridge, run from the origin image (see the comment in docker-compose.yml).
    expect(service('redis-rest').image).toBe('vidra-origin:local');
    expect(JSON.stringify(service('redis-rest').command)).toContain('scripts/upstash-bridge/main.ts');
    expect(service('minio').image).toMatch(/^minio\/minio(:|$)/);
    expect(service('minio-init').image).toMatch(/^minio\/mc(:|$)/);
    expect(service('lb').image).toMatch(/^nginx:1\.27(\.|$)/);
  });

  it('builds origins, transcoders, ingest and edge from their Dockerfiles, and every build path exists', () => {
    const expected: Record<string, string> = {
      'origin-1': 'origin/Dockerfile',
      'origin-2': 'origin/Dockerfile',
      'transcoder-1': 'transcoder/Dockerfile',
      'transcoder-2': 'transcoder/Dockerfile',
      ingest: 'ingest/Dockerfile',
      edge: 'edge/Dockerfile',
    };
    for (const [name, dockerfile] of Object.entries(expected)) {
      const build = buildOf(service(name));
      expect(build, `${name} has a build section`).toBeDefined();
      if (!build) continue;
      expect(resolve(root, build.context, build.dockerfile)).toBe(resolve(root, dockerfile));
    }
    let builds = 0;
    for (const [name, s] of Object.entries(services)) {
      const build = buildOf(s);
      if (!build) continue;
      builds++;
      const context = resolve(root, build.context);
      expect(
        existsSync(context) && statSync(context).isDirectory(),
        `${name}: build context ${context}`,
      ).toBe(true);
      const dockerfile = resolve(context, build.dockerfile);
      expect(
        existsSync(dockerfile) && statSync(dockerfile).isFile(),
        `${name}: dockerfile ${dockerfile}`,
      ).toBe(true);
    }
    expect(builds).toBe(6);
  });

  it('gives postgres a healthcheck and a volume, and makes the origins wait for it', () => {
    const pg = service('postgres');
    expect(pg.healthcheck?.test, 'postgres healthcheck').toBeDefined();
    expect(JSON.stringify(pg.healthcheck?.test)).toContain('pg_isready');
    const pgVolumes = (pg.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    expect(pgVolumes.some((v) => v.includes(':/var/lib/postgresql/data'))).toBe(true);

    for (const name of ORIGINS) {
      const deps = dependsOn(service(name));
      expect(deps, `${name} depends on postgres`).toHaveProperty('postgres');
      expect(deps.postgres).toBe('service_healthy');
      expect(deps['minio-init']).toBe('service_completed_successfully');
    }
  });

  it('wires the origins to postgres, minio and a shared upload staging volume', () => {
    const bucketCreator = JSON.stringify(service('minio-init').entrypoint ?? service('minio-init').command);
    expect(bucketCreator).toContain('mc mb');
    expect(JSON.stringify(service('minio').command)).toContain('--console-address');
    expect(service('minio').healthcheck?.test).toBeDefined();

    for (const name of ORIGINS) {
      const env = envOf(service(name));
      expect(new URL(env.DATABASE_URL ?? 'invalid:').hostname, `${name} DATABASE_URL host`).toBe('postgres');
      expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD:-');
      expect(env.HOST).toBe('0.0.0.0');
      expect(env.PORT).toBe('8080');
      expect(env.STORAGE_DRIVER).toBe('s3');
      // X-Forwarded-For is believed from the edge's token only, never from anyone who can reach lb.
      expect(env.TRUST_PROXY).toBeUndefined();
      expect(new URL(env.S3_ENDPOINT ?? 'invalid:').hostname).toBe('minio');
      // tus staging is one volume shared by both origins, so a resumed upload may land on either.
      expect(env.UPLOAD_DIR).toBe('/app/uploads');
      expect(JSON.stringify(service(name).volumes)).toContain('upload-staging:/app/uploads');
      for (const key of [
        'S3_BUCKET',
        'S3_ACCESS_KEY_ID',
        'S3_SECRET_ACCESS_KEY',
        'S3_REGION',
        'PUBLIC_URL',
      ]) {
        expect(env[key], `${name} ${key}`).toBeTruthy();
      }
      for (const t of TRANSCODERS)
        expect(env.RUNNER_REGISTRATION_TOKEN).toBe(envOf(service(t)).RUNNER_REGISTRATION_TOKEN);
      // The bucket minio-init creates is the one the origins use.
      expect(bucketCreator).toContain(env.S3_BUCKET);
    }
  });

  it('sends the two transcoders, the ingest node and the edge through the load balancer', () => {
    for (const name of TRANSCODERS) {
      const transcoder = envOf(service(name));
      expect(transcoder.ORIGIN_URL).toBe('http://lb:8080');
      expect(transcoder.TRANSCODER_CONCURRENCY).toBeTruthy();
    }
    expect(envOf(service('ingest')).ORIGIN_URL).toBe('http://lb:8080');
    expect((service('ingest') as { profiles?: string[] }).profiles).toEqual(['live']);

    const edge = envOf(service('edge'));
    expect((edge.ORIGINS ?? '').split(',')).toContain('http://lb:8080');
    expect(new URL(edge.UPSTASH_REDIS_REST_URL ?? 'invalid:').hostname).toBe('redis-rest');
    const rest = envOf(service('redis-rest'));
    expect(rest.REDIS_URL).toBe('redis://redis:6379');
    expect(rest.UPSTASH_BRIDGE_PORT).toBe('80');
    expect(edge.UPSTASH_REDIS_REST_TOKEN).toBe(rest.UPSTASH_BRIDGE_TOKEN);
  });

  it('runs the edge under workerd serve, believing no client address header, health-checked', () => {
    const edge = service('edge');
    const env = envOf(edge);
    expect(env.EDGE_HOST).toBe('0.0.0.0');
    expect(env.EDGE_PORT).toBe('8787');
    // Clients reach the published port directly: nothing in front overwrites an address header,
    // and `npm run edge` refuses cf-connecting-ip (nothing sets it under workerd serve).
    expect(env.CLIENT_IP_SOURCE).toBe(`\${CLIENT_IP_SOURCE:-none}`);
    expect(JSON.stringify(edge.healthcheck?.test)).toContain('http://127.0.0.1:8787/edge/healthz');
    // wrangler dev's local state is gone with wrangler dev.
    expect(JSON.stringify(edge.volumes ?? [])).not.toContain('.wrangler');
    expect(JSON.stringify(edge.command ?? edge.entrypoint ?? '')).not.toContain('wrangler');
  });

  it('uses env interpolation with defaults for every secret', () => {
    let secrets = 0;
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(envOf(s))) {
        if (!/PASSWORD|SECRET|TOKEN/.test(key)) continue;
        secrets++;
        expect(value, `${name}.${key} must be \${VAR:-default}`).toMatch(/^\$\{[A-Z0-9_]+:-[^}]+\}$/);
      }
    }
    expect(secrets).toBeGreaterThanOrEqual(8);
  });

  it('load-balances both origins through deploy/nginx/nginx.conf', () => {
    const lb = service('lb');
    const mount = (lb.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target ?? '']))
      .find((parts) => parts[1] === '/etc/nginx/nginx.conf');
    expect(mount, 'lb mounts a config at /etc/nginx/nginx.conf').toBeDefined();
    const source = resolve(root, mount?.[0] ?? '');
    expect(source).toBe(join(root, 'deploy/nginx/nginx.conf'));
    expect(existsSync(source)).toBe(true);

    const conf = readFileSync(source, 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*$/, ''))
      .join('\n');
    for (const name of ORIGINS) {
      expect(conf).toMatch(new RegExp(`server\\s+${name}:8080\\b[^;]*max_fails=\\d+[^;]*fail_timeout=\\w+`));
    }
    expect(conf).toMatch(/listen\s+8080\b/);
    expect(conf).toMatch(/proxy_next_upstream\s+error\b/);
    expect(conf).not.toMatch(/proxy_next_upstream\s[^;]*non_idempotent/);
    expect(conf).toMatch(/proxy_request_buffering\s+off;/);
    expect(conf).toMatch(/proxy_buffering\s+off;/);
    expect(conf).toMatch(/client_max_body_size\s+(0|\d+[gG]);/);
    const readTimeout = /proxy_read_timeout\s+(\d+)s;/.exec(conf);
    expect(Number(readTimeout?.[1])).toBeGreaterThanOrEqual(300);
    // An internal hop: the edge's X-Forwarded-Host/-Proto (the public ones) pass through untouched.
    expect(conf).not.toMatch(/proxy_set_header\s+X-Forwarded-(Host|Proto)\s+\$(http_host|host|scheme);/i);
    expect(conf).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
    expect(JSON.stringify(lb.healthcheck?.test)).toContain('/lb-healthz');
    expect(conf).toContain('location = /lb-healthz');
    expect(dependsOn(lb)).toEqual({ 'origin-1': 'service_healthy', 'origin-2': 'service_healthy' });
    // Only services with a healthcheck (in compose or in their Dockerfile) can be waited on as healthy.
    expect(dependsOn(service('edge')).lb).toBe('service_healthy');
    for (const name of [...TRANSCODERS, 'ingest'])
      expect(dependsOn(service(name)).lb).toBe('service_healthy');
  });

  it('publishes only the edge, the live ingest (and the MinIO console) and only on 127.0.0.1', () => {
    const publishing = Object.entries(services).filter(([, s]) => (s.ports ?? []).length > 0);
    for (const [name, s] of publishing) {
      expect(['edge', 'ingest', 'minio'], `${name} must not publish ports`).toContain(name);
      for (const port of s.ports ?? []) {
        expect(JSON.stringify(port), `${name} port must be literal`).not.toContain('$');
        expect(hostIpOf(port), `${name} port ${JSON.stringify(port)} must bind 127.0.0.1`).toBe('127.0.0.1');
      }
    }
    expect((service('edge').ports ?? []).map(publishedOf)).toContain('8787');
    expect((service('ingest').ports ?? []).map(publishedOf)).toEqual([
      '1935',
      '9000-9099',
      '8889',
      '20000-20019',
    ]);
    for (const name of [...ORIGINS, 'lb', 'postgres', 'redis', 'redis-rest']) {
      expect(service(name).ports ?? [], `${name} stays internal`).toHaveLength(0);
    }
  });

  it('declares every named volume it uses', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const src = typeof v === 'string' ? (v.split(':')[0] ?? '') : (v.source ?? '');
        if (src.startsWith('.') || src.startsWith('/')) continue;
        expect(declared, `${name}: volume ${src}`).toContain(src);
      }
    }
  });

  describe('docker-compose binary (Debian package docker-compose; .ci/run installs it)', () => {
    const bin = onPath('docker-compose');

    it('is on PATH', () => {
      expect(bin, 'docker-compose not found on PATH: apt-get install docker-compose').toBeDefined();
    });

    it('accepts the file: docker-compose config -q exits 0', () => {
      const run = spawnSync(bin ?? 'docker-compose', ['-f', composePath, 'config', '-q'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.status, run.stderr).toBe(0);
    });

    it('still binds every published port to 127.0.0.1 after interpolation', () => {
      const run = spawnSync(bin ?? 'docker-compose', ['-f', composePath, 'config'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const resolved = parse(run.stdout) as ComposeFile;
      const ports = Object.values(resolved.services).flatMap((s) => s.ports ?? []);
      expect(ports.length).toBeGreaterThanOrEqual(1);
      for (const port of ports) expect(hostIpOf(port), JSON.stringify(port)).toBe('127.0.0.1');
      // Defaults make the file usable without a .env: no secret resolves to an empty string.
      for (const name of ORIGINS) {
        const env = envOf(resolved.services[name] ?? {});
        expect(env.DATABASE_URL).toMatch(/^postgres:\/\/vidra:[^@]+@postgres:5432\/vidra$/);
        expect(env.S3_SECRET_ACCESS_KEY?.length).toBeGreaterThanOrEqual(8);
      }
    });
  });
});
