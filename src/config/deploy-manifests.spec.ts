import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { environmentVariableNames, validateEnv } from './env.validation';

// No Docker engine or Kubernetes cluster runs these files here, so this holds them to the service they
// deploy: the variables it knows, the secrets docs/deployment.md names, the drain the balancer needs.

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The variables of docs/deployment.md's "Secrets" table. */
function documentedSecrets(): string[] {
  const section = read('docs/deployment.md').split('## Secrets')[1].split('\n## ')[0];
  const firstCells = section.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|')[1]);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
}

/** A stand-in for `${NAME:?…}` interpolation and the manifests' CHANGE_ME placeholders. */
const filledIn = (value: string) => value.replace(/\$\{[A-Z_]+:\?[^}]*\}/g, 'x'.repeat(32)).replaceAll('CHANGE_ME', 'placeholder');

function expectKnownAndValid(env: Record<string, string>): void {
  const known = environmentVariableNames();
  expect(Object.keys(env).filter((key) => !known.includes(key))).toEqual([]);
  expect(() => validateEnv(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, filledIn(String(v))])))).not.toThrow();
}

/** HAProxy's durations (`2s`, `200ms`, `1h`) in milliseconds. */
function haproxyMs(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const [, amount, unit = 'ms'] = /^(\d+)(ms|s|m|h)?$/.exec(value) ?? [];
  if (amount === undefined) throw new Error(`not an HAProxy duration: ${value}`);
  return Number(amount) * units[unit];
}

describe('deploy/compose.yml and deploy/haproxy.cfg', () => {
  const compose = parse(read('deploy/compose.yml'), { merge: true }) as { services: Record<string, any> };
  const haproxy = read('deploy/haproxy.cfg');
  const instances = Object.keys(compose.services).filter((name) => /^app\d+$/.test(name));
  const env = compose.services.app1.environment as Record<string, string>;

  it('runs three instances with variables the service knows and accepts', () => {
    expect(instances).toEqual(['app1', 'app2', 'app3']);
    expectKnownAndValid(env);
    expect(env).toMatchObject({ MIGRATIONS_RUN: 'false', DB_PREPARED_STATEMENTS: 'false' });
    expect(env.DATABASE_URL).toContain('@pgbouncer:');
    expect(env.DATABASE_DIRECT_URL).toContain('@postgres:');
  });

  it('takes the tokens from the environment, never from the file', () => {
    for (const key of documentedSecrets().filter((k) => k.endsWith('_TOKEN') && k in env)) expect([key, env[key]]).toEqual([key, expect.stringMatching(/^\$\{[A-Z_]+:\?/)]);
    expect(env.ADMIN_TOKEN).toBeDefined();
  });

  it('migrates once, from the image, before any instance starts', () => {
    expect(compose.services.migrate.command).toEqual(['node', 'dist/cli.js', 'migrate']);
    expect(existsSync(join(ROOT, 'src', 'cli.ts'))).toBe(true);
    for (const name of instances) expect(compose.services[name].depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
  });

  it('balances over those instances with readiness checks the drain outlasts', () => {
    const servers = [...haproxy.matchAll(/^\s*server (\S+) (\S+):3000 check/gm)].map((m) => [m[1], m[2]]);
    expect(servers).toEqual(instances.map((name) => [name, name]));
    expect(haproxy).toMatch(/^\s*option httpchk GET \/health\/ready$/m);
    const [, inter, fall] = /default-server inter (\S+) fall (\d+)/.exec(haproxy) ?? [];
    expect(Number(env.SHUTDOWN_DRAIN_MS)).toBeGreaterThanOrEqual(haproxyMs(inter) * Number(fall));
  });

  it('streams SSE unbuffered, with an idle timeout above the heartbeat', () => {
    expect(haproxy).toMatch(/^\s*option http-no-delay\b/m);
    const [, tunnel] = /timeout tunnel (\S+)/.exec(haproxy) ?? [];
    expect(haproxyMs(tunnel)).toBeGreaterThan(validateEnv({}).SSE_HEARTBEAT_MS);
  });

  const haproxyInstalled = spawnSync('haproxy', ['-v']).status === 0;
  if (!haproxyInstalled) console.warn('deploy/haproxy.cfg: `haproxy -c` SKIPPED, no haproxy on PATH (apt-get install haproxy)');
  (haproxyInstalled ? it : it.skip)('is a configuration HAProxy accepts (haproxy -c)', () => {
    const check = spawnSync('haproxy', ['-c', '-f', join(ROOT, 'deploy', 'haproxy.cfg')], { encoding: 'utf8' });
    expect([check.status, check.stderr]).toEqual([0, expect.any(String)]);
  });
});

describe('deploy/kubernetes.yml', () => {
  const docs = parseAllDocuments(read('deploy/kubernetes.yml')).map((d) => d.toJS() as { kind: string; metadata: { name: string }; [key: string]: any });
  const of = (kind: string) => docs.filter((d) => d.kind === kind);
  const [secret] = of('Secret');
  const [config] = of('ConfigMap');
  const [deployment] = of('Deployment');
  const pod = deployment.spec.template.spec;
  const [app] = pod.containers;

  it('configures the pods with variables the service knows and accepts', () => {
    expectKnownAndValid({ ...secret.stringData, ...config.data });
    expect(config.data).toMatchObject({ MIGRATIONS_RUN: 'false', DB_PREPARED_STATEMENTS: 'false' });
    expect(app.envFrom).toEqual(expect.arrayContaining([{ secretRef: { name: secret.metadata.name } }, { configMapRef: { name: config.metadata.name } }]));
  });

  it('keeps every documented secret in the Secret and none in the ConfigMap', () => {
    const secrets = documentedSecrets();
    expect(secrets).toEqual(expect.arrayContaining(['DATABASE_URL', 'ADMIN_TOKEN']));
    expect(Object.keys(config.data).filter((key) => secrets.includes(key))).toEqual([]);
    expect(Object.keys(secret.stringData).filter((key) => !secrets.includes(key))).toEqual([]);
  });

  it('probes readiness and liveness, and outlasts pre-stop, drain and shutdown before it kills', () => {
    expect(app.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(app.livenessProbe.httpGet.path).toBe('/health/live');
    const [sleep, seconds] = app.lifecycle.preStop.exec.command as string[];
    expect(sleep).toBe('sleep');
    const needMs = Number(seconds) * 1000 + Number(config.data.SHUTDOWN_DRAIN_MS) + Number(config.data.SHUTDOWN_TIMEOUT_MS);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(needMs);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('migrates in a Job of the same image before the rollout', () => {
    const [job] = of('Job');
    const [migrate] = job.spec.template.spec.containers;
    expect(migrate.command).toEqual(['node', 'dist/cli.js', 'migrate']);
    expect(migrate.image).toBe(app.image);
    expect(migrate.envFrom).toEqual(app.envFrom);
  });
});
