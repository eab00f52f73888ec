/**
 * deploy/docker/ as far as these machines allow (no Docker daemon, no base image): the Dockerfile linted with
 * dockerfile-utils (when installed), its conventions checked, and the image's file layout rebuilt from its COPY
 * lines in a temporary /app, where its ENTRYPOINT and HEALTHCHECK commands run against a private redis-server: the
 * relay starts from exactly what the image holds, the health check follows readiness, and SIGTERM sent to the
 * ENTRYPOINT's process (PID 1 in the container) drains stations and exits 0. The compose files' settings are
 * checked as data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.js';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/redis-server.js';
import { connectStation, operatorToken, TEST_SECRET } from '../../test/support/relay.js';
import { dockerInstructions, execForm } from './instructions.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCKERFILE = readFileSync(new URL('./Dockerfile', import.meta.url), 'utf8');
const IGNORE = readFileSync(new URL('./Dockerfile.dockerignore', import.meta.url), 'utf8');
const instructions = dockerInstructions(DOCKERFILE);
const finalStage = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));
const one = (keyword: string) => finalStage.filter((i) => i.keyword === keyword);

// A devDependency the lead may not have installed yet: the lint is skipped (and says so) without it.
const LINTER = 'dockerfile-utils';
type Diagnostic = { message: string; range: { start: { line: number } } };
async function loadLinter(): Promise<{ validate(text: string): Diagnostic[] } | undefined> {
  try {
    return (await import(LINTER)) as { validate(text: string): Diagnostic[] };
  } catch {
    return undefined;
  }
}
const linter = await loadLinter();
if (!linter) console.warn(`${LINTER} is not installed (npm i -D ${LINTER}): skipping the Dockerfile lint`);

describe('deploy/docker/Dockerfile', () => {
  it.skipIf(!linter)('passes dockerfile-utils with no diagnostics', () => {
    const problems = linter!.validate(DOCKERFILE).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('is multi-stage, runs as a non-root user, and has one exec-form ENTRYPOINT and HEALTHCHECK', () => {
    expect(instructions.filter((i) => i.keyword === 'FROM').length).toBeGreaterThanOrEqual(2);
    expect(one('USER').map((u) => u.args)).toEqual(['node']);
    const entry = execForm(one('ENTRYPOINT')[0]?.args ?? '');
    expect(entry?.[0], 'node is PID 1 (no npm, no shell), so SIGTERM reaches the relay').toBe('node');
    expect(one('CMD')).toEqual([]);
    const health = one('HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]!.args).toMatch(/CMD \[/);
  });

  it('copies only what the .dockerignore lets into the build context', () => {
    const allowed = IGNORE.split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    for (const copy of instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) {
        expect(allowed, `COPY ${source}`).toContain(source);
        expect(existsSync(join(ROOT, source)), `${source} exists`).toBe(true);
      }
    }
  });
});

describe('the image layout, run as its ENTRYPOINT and HEALTHCHECK would', () => {
  let redis: PrivateRedis;
  let app: string;
  let relay: ChildProcess | undefined;
  let port: number;
  let output = '';

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // /app as the final stage's COPY lines lay it out (node_modules: the deps stage's, here the checkout's).
    app = mkdtempSync(join(tmpdir(), 'lodestar-image-'));
    for (const copy of one('COPY')) {
      if (copy.args.startsWith('--from')) continue;
      const parts = copy.args.split(/\s+/);
      const dest = parts.at(-1)!;
      for (const source of parts.slice(0, -1)) {
        const target = dest.endsWith('/') ? join(app, dest, source.split('/').at(-1)!) : join(app, dest);
        cpSync(join(ROOT, source), target, { recursive: true });
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    port = await freePort();
    const [command, ...args] = execForm(one('ENTRYPOINT')[0]!.args)!;
    relay = spawn(command === 'node' ? process.execPath : command!, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        RELAY_SECRET: TEST_SECRET,
        REDIS_URL: redis.url,
        RELAY_HOST: '127.0.0.1',
        RELAY_PORT: String(port),
        RELAY_DRAIN_MS: '300',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    relay.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    relay.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    for (let i = 0; i < 1200 && !output.includes('relay listening'); i++) {
      if (relay.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(output, 'the relay started from the image layout').toContain('relay listening');
  });

  afterAll(async () => {
    if (relay && relay.exitCode === null) {
      const exited = once(relay, 'exit');
      relay.kill('SIGKILL');
      await exited;
    }
    await redis?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  function healthcheck(): number | null {
    const args = execForm(one('HEALTHCHECK')[0]!.args.replace(/^.*?CMD /, ''))!;
    const result = spawnSync(process.execPath, args.slice(1), {
      cwd: app,
      env: { PATH: process.env.PATH, RELAY_PORT: String(port) },
      timeout: 10_000,
    });
    return result.status;
  }

  async function healthcheckBecomes(status: number): Promise<void> {
    for (let i = 0; i < 300 && healthcheck() !== status; i++) await new Promise((r) => setTimeout(r, 100));
    expect(healthcheck()).toBe(status);
  }

  it('HEALTHCHECK passes while ready, fails while Redis is away, passes again when it returns', async () => {
    await healthcheckBecomes(0);
    await redis.stop();
    await healthcheckBecomes(1);
    await redis.start();
    await healthcheckBecomes(0);
  }, 60_000);

  it('SIGTERM to the ENTRYPOINT process closes stations with 1012 and exits 0', async () => {
    const station = await connectStation(`ws://127.0.0.1:${port}`, await operatorToken('*'));
    const exited = once(relay!, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    relay!.kill('SIGTERM');
    expect((await station.closed).code).toBe(1012);
    expect(await exited).toEqual([0, null]);
    expect(healthcheck()).toBe(1);
  });
});

describe('deploy/docker compose files', () => {
  // js-yaml comes with eslint; checking the compose files as data needs a YAML parser, nothing more.
  let load: ((text: string) => unknown) | undefined;
  try {
    load = (createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }).load;
  } catch {
    console.warn('js-yaml is not installed: skipping the compose file checks');
  }
  type Service = {
    command?: string[];
    environment?: Record<string, string>;
    volumes?: string[];
    extra_hosts?: string[];
    stop_grace_period?: string;
    ports?: string[];
    healthcheck?: unknown;
  };
  const compose = (name: string) =>
    load!(readFileSync(new URL(name, import.meta.url), 'utf8')) as { services: Record<string, Service> };

  it.skipIf(!load)(
    'compose.yaml: Redis with its append-only file on a volume, the secret from the environment',
    () => {
      const { redis, relay } = compose('./compose.yaml').services;
      expect(redis!.command?.join(' ')).toMatch(/--appendonly yes/);
      expect(redis!.volumes).toEqual(['redis-data:/data']);
      expect(relay!.environment!.RELAY_SECRET).toMatch(/^\$\{RELAY_SECRET:\?/);
      expect(relay!.environment!.REDIS_URL).toBe('redis://redis:6379');
      expect(relay!.ports).toEqual(['${RELAY_PUBLISH_PORT:-30582}:30582']);
      expect(parseInt(relay!.stop_grace_period!, 10) * 1000).toBeGreaterThan(10_000);
    },
  );

  it.skipIf(!load)(
    'compose.host-redis.yaml: no Redis of its own, the host reached through host-gateway',
    () => {
      const { services } = compose('./compose.host-redis.yaml');
      expect(Object.keys(services)).toEqual(['relay']);
      expect(services.relay!.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
      expect(services.relay!.environment!.REDIS_URL).toContain('host.docker.internal:6379');
      expect(services.relay!.environment!.RELAY_SECRET).toMatch(/^\$\{RELAY_SECRET:\?/);
    },
  );
});
