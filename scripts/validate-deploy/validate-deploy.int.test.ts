// scripts/validate-deploy as CI runs it: the repo's deployment files pass, offline, and each fixture
// with one planted error fails with a message that names the error, with the tools and without them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tierEnvProblems } from './k8s-env.js';
import type { K8sObject } from './k8s-render.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'deploy', 'validate-fixtures');

async function validate(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/validate-deploy/main.ts', ...args],
      {
        cwd: root,
        timeout: 240_000,
      },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const planted = [
  '--k8s',
  path.join(fixtures, 'k8s-unknown-field'),
  '--compose',
  path.join(fixtures, 'compose-typo', 'docker-compose.yml'),
  '--terraform',
  path.join(fixtures, 'terraform-bad-arg'),
  '--systemd',
  path.join(fixtures, 'systemd-unknown-key'),
];

// Concurrent: each test is one child process, mostly waiting on tools; together they take the longest one's time.
describe.concurrent('scripts/validate-deploy', () => {
  it('passes on the repo: compose (every profile), k8s base and overlays, terraform, wrangler dry run', async () => {
    const { code, output } = await validate([]);
    expect(output).toContain(
      'ok    compose docker-compose.yml  [docker-compose config -q (profiles: default, live)]',
    );
    for (const dir of ['k8s', 'k8s/overlays/keda', 'k8s/overlays/production'])
      expect(output).toContain(`ok    k8s ${dir}  [kubectl kustomize;`);
    expect(output).toContain(
      'ok    terraform terraform  [terraform fmt -check + validate (provider mirror)]',
    );
    expect(output).toContain('ok    systemd deploy/systemd  [systemd-analyze verify + required hardening]');
    expect(output).toContain('ok    wrangler.toml');
    expect(output).toContain('validate-deploy: 7 checks passed');
    expect(code, output).toBe(0);
  }, 240_000);

  it('fails each planted error with a readable message, using docker-compose, kubectl and terraform', async () => {
    const { code, output } = await validate(planted);
    expect(code).toBe(1);
    expect(output).toContain("Unsupported config option for services.web: 'depend_on'");
    expect(output).toContain(
      "Deployment/planted: Object literal may only specify known properties, and 'imagePullPolicyy'",
    );
    expect(output).toContain('An argument named "bucket_name" is not expected here.');
    expect(output).toContain("Unknown key 'ProtectSystm' in section [Service]");
    expect(output).toContain('validate-deploy: 4 of 4 checks failed');
  }, 120_000);

  it('fails them too with every tool absent (fallbacks), and still passes the repo', async () => {
    const repo = [
      '--k8s',
      'k8s',
      '--k8s',
      'k8s/overlays/keda',
      '--compose',
      'docker-compose.yml',
      '--terraform',
      'terraform',
    ];
    const { code, output } = await validate(['--fallback', ...planted, ...repo]);
    expect(code).toBe(1);
    expect(output).toContain("services.web: unknown key 'depend_on'");
    expect(output).toContain("'imagePullPolicyy' does not exist in type 'Container'");
    expect(output).toContain(
      "main.tf: aws_s3_bucket.media: an argument named 'bucket_name' is not expected here",
    );
    for (const line of [
      'compose docker-compose.yml',
      'k8s k8s ',
      'k8s k8s/overlays/keda',
      'terraform terraform',
    ])
      expect(output).toMatch(new RegExp(`ok    ${line.replaceAll('/', '\\/')}.*\\[fallback`));
    expect(output).toContain('vidra-planted.service: missing ProtectSystem=strict');
    expect(output).toContain('validate-deploy: 4 of 8 checks failed');
  }, 120_000);

  it('refuses a Vidra container whose environment its tier would refuse (TRUST_PROXY was removed)', () => {
    const origin = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'vidra-origin' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'origin', image: 'vidra-origin:1', env: [{ name: 'TRUST_PROXY', value: 'true' }] },
            ],
          },
        },
      },
    } as K8sObject;
    const [problem, ...rest] = tierEnvProblems([origin]);
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^Deployment\/vidra-origin: container origin would refuse to start: .*TRUST_PROXY was removed/,
    );
  });
});
