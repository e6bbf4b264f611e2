// Static checks of the images' Dockerfiles: what they COPY exists (and is not .dockerignored),
// and what they run exists and is copied into the image. No Docker engine needed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, with line continuations joined and comment lines dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (!current && !line) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    current += line;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(current.trim());
    if (m?.[1] && m[2] !== undefined) out.push({ keyword: m[1].toUpperCase(), args: m[2].trim() });
    current = '';
  }
  return out;
}

/** Words of an instruction: exec (JSON) form as is, shell form split on blanks with quotes dropped. */
function words(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return (args.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));
}

/** Leading --flags removed; what remains is sources... then the destination. */
function copyParts(args: string): { flags: string[]; sources: string[]; dest: string } {
  const all = words(args);
  const flags: string[] = [];
  while (all[0]?.startsWith('--')) flags.push(all.shift() ?? '');
  const dest = all.pop() ?? '';
  return { flags, sources: all, dest };
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*' && pattern.charAt(i + 1) === '*') {
      i++;
      if (pattern.charAt(i + 1) === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** Whether .dockerignore keeps `path` (or one of its parent folders) out of the build context. */
function isDockerignored(path: string): boolean {
  const segments = normalize(path).replace(/^\.\//, '').replace(/\/$/, '').split('/');
  for (let n = 1; n <= segments.length; n++) {
    const prefix = segments.slice(0, n).join('/');
    let ignored = false;
    for (const rule of dockerignore) {
      const negated = rule.startsWith('!');
      const pattern = normalize(negated ? rule.slice(1) : rule).replace(/^\//, '');
      if (globToRegExp(pattern).test(prefix)) ignored = !negated;
    }
    if (ignored) return true;
  }
  return false;
}

/** Paths in CMD/ENTRYPOINT that name a file of the repo (relative, with a source/config extension). */
function referencedFiles(instructions: Instruction[]): string[] {
  const run = instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  return run
    .flatMap((i) => words(i.args).flatMap((w) => w.split(/\s+/)))
    .filter((w) => /^[\w.-]+(\/[\w.-]+)*\.(ts|mts|js|mjs|cjs|toml)$/.test(w) && !w.startsWith('/'));
}

interface ImageSpec {
  dockerfile: string;
  entry: string[];
  port?: number;
  healthcheck: boolean;
}

const IMAGES: Record<string, ImageSpec> = {
  origin: { dockerfile: 'origin/Dockerfile', entry: ['origin/src/main.ts'], port: 8080, healthcheck: true },
  transcoder: { dockerfile: 'transcoder/Dockerfile', entry: ['transcoder/src/main.ts'], healthcheck: false },
  edge: { dockerfile: 'edge/Dockerfile', entry: ['scripts/edge/main.ts'], port: 8787, healthcheck: true },
  ingest: { dockerfile: 'ingest/Dockerfile', entry: ['ingest/src/main.ts'], port: 1935, healthcheck: true },
};

describe('.dockerignore', () => {
  it('keeps local state and dependencies out of the build context', () => {
    for (const name of ['node_modules', 'data', '.wrangler', '.git', 'test-artifacts']) {
      expect(isDockerignored(name), name).toBe(true);
    }
    expect(isDockerignored('edge/.wrangler/state'), 'nested .wrangler').toBe(true);
    expect(isDockerignored('origin/src/main.ts')).toBe(false);
    expect(isDockerignored('package-lock.json')).toBe(false);
  });
});

describe.each(Object.entries(IMAGES))('%s Dockerfile', (_name, spec) => {
  const instructions = parseDockerfile(readFileSync(join(root, spec.dockerfile), 'utf8'));
  const of = (keyword: string) => instructions.filter((i) => i.keyword === keyword);
  const copies = [...of('COPY'), ...of('ADD')]
    .map((i) => copyParts(i.args))
    .filter((c) => !c.flags.some((f) => f.startsWith('--from')));

  it('builds on node:24-bookworm-slim with npm ci', () => {
    expect(of('FROM')[0]?.args).toMatch(/^node:24-bookworm-slim(\s|$)/);
    expect(of('RUN').some((r) => /\bnpm ci\b/.test(r.args))).toBe(true);
  });

  it('copies only paths that exist in the repo and are not .dockerignored', () => {
    expect(copies.length).toBeGreaterThanOrEqual(2);
    const sources = copies.flatMap((c) => c.sources);
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
    for (const source of sources) {
      expect(source, 'no globs or URLs in COPY').toMatch(/^[\w./-]+$/);
      expect(existsSync(join(root, source)), `COPY source ${source} exists`).toBe(true);
      expect(isDockerignored(source), `COPY source ${source} is .dockerignored`).toBe(false);
    }
    // npm ci runs before the sources are copied, so that source edits keep the dependency layer.
    const npmCi = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    const lastCopy = instructions.map((i) => i.keyword).lastIndexOf('COPY');
    expect(npmCi).toBeGreaterThan(0);
    expect(npmCi).toBeLessThan(lastCopy);
  });

  it('runs a file that exists in the repo and is copied into the image', () => {
    const files = referencedFiles(instructions);
    expect(files).toEqual(expect.arrayContaining(spec.entry));
    const copied = copies.flatMap((c) => c.sources).map((s) => normalize(s).replace(/\/$/, ''));
    for (const file of files) {
      expect(existsSync(join(root, file)) && statSync(join(root, file)).isFile(), `${file} exists`).toBe(
        true,
      );
      const inImage = copied.some((s) => file === s || file.startsWith(`${s}/`));
      expect(inImage, `${file} is COPY'd into the image`).toBe(true);
    }
  });

  it('runs as a non-root user under an init process', () => {
    const user = of('USER').at(-1)?.args;
    expect(user, 'USER instruction').toBeDefined();
    expect(['root', '0']).not.toContain(user);
    const entrypoint = words(of('ENTRYPOINT').at(-1)?.args ?? '[]');
    expect(entrypoint[0]).toBe('/usr/bin/tini');
    expect(of('RUN').some((r) => /apt-get install[^&]*\btini\b/.test(r.args))).toBe(true);
  });

  it('exposes its port and has a HEALTHCHECK where it serves one', () => {
    if (spec.port) expect(of('EXPOSE').map((e) => e.args)).toContain(String(spec.port));
    expect(of('HEALTHCHECK').length > 0).toBe(spec.healthcheck);
  });
});

describe('image specifics', () => {
  const read = (p: string) => parseDockerfile(readFileSync(join(root, p), 'utf8'));

  it('origin health-checks /healthz', () => {
    const hc = read('origin/Dockerfile').find((i) => i.keyword === 'HEALTHCHECK');
    expect(hc?.args).toContain('/healthz');
  });

  it("edge health-checks the worker's own health path", () => {
    const app = readFileSync(join(root, 'edge/src/app.ts'), 'utf8');
    const healthPath = /EDGE_HEALTH_PATH\s*=\s*'([^']+)'/.exec(app)?.[1];
    expect(healthPath, 'EDGE_HEALTH_PATH in edge/src/app.ts').toBeDefined();
    const hc = read('edge/Dockerfile').find((i) => i.keyword === 'HEALTHCHECK');
    expect(hc?.args).toContain(`http://127.0.0.1:8787${healthPath}`);
  });

  it('transcoder installs ffmpeg', () => {
    const runs = read('transcoder/Dockerfile').filter((i) => i.keyword === 'RUN');
    expect(runs.some((r) => /apt-get install[^&]*\bffmpeg\b/.test(r.args))).toBe(true);
  });

  it('edge runs `npm run edge` (workerd serve) on 0.0.0.0:8787, with no var on its command line', () => {
    const edge = read('edge/Dockerfile');
    const cmd = edge.find((i) => i.keyword === 'CMD')?.args ?? '';
    expect(words(cmd)).toEqual(['node', '--import', 'tsx', 'scripts/edge/main.ts']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.edge).toBe('tsx scripts/edge/main.ts');
    // Secrets (INTERNAL_API_TOKEN, PLAYBACK_KEYS) were readable in `ps` as wrangler's --var.
    expect(cmd).not.toMatch(/wrangler|--var|\$/);
    const env = edge.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env.join(' ')).toMatch(/EDGE_HOST=0\.0\.0\.0/);
    expect(env.join(' ')).toMatch(/EDGE_PORT=8787/);
  });

  it('edge image holds every module the launcher imports', () => {
    const copied = read('edge/Dockerfile')
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => copyParts(i.args).sources.map((s) => normalize(s).replace(/\/$/, '')));
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const inImage = copied.some((s) => file === s || file.startsWith(`${s}/`));
      expect(inImage, `${file} is COPY'd into the edge image`).toBe(true);
      for (const [, spec] of readFileSync(join(root, file), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g))
        visit(normalize(join(file, '..', (spec ?? '').replace(/\.js$/, '.ts'))));
    };
    visit('scripts/edge/main.ts');
    expect(seen.size).toBeGreaterThan(5);
  });

  it("edge image contains the worker's entry point named in wrangler.toml", () => {
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    const main = /^\s*main\s*=\s*["']([^"']+)["']/m.exec(toml)?.[1];
    expect(main, 'wrangler.toml sets main').toBeDefined();
    const entry = normalize(main ?? '');
    expect(existsSync(join(root, entry)), `${entry} exists`).toBe(true);
    const copied = read('edge/Dockerfile')
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => copyParts(i.args).sources);
    expect(copied.some((s) => entry === s || entry.startsWith(`${normalize(s)}/`))).toBe(true);
  });
});
