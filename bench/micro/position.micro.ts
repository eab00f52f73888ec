/**
 * What position.lua costs Redis's single thread per fix, from Redis's own accounting: relay/positioning/measure.ts
 * (batches of MAX_POSITION_BATCH through `positionBatch`, then INFO cpu and INFO commandstats) run as a child, next
 * to the plain alternative measured here the same way: one PUBLISH of the same fix JSON per fix (what positioning
 * off asks of Redis).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../../test/support/redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CALLS = 20_000;

export interface PositionCost {
  /** Redis CPU µs per positioned fix (INFO cpu over the batches). */
  scriptUs: number;
  /** positionBatch fixes/s through one connection, 4 batches in flight. */
  fixesPerSecond: number;
  /** Per command the script ran: calls and µs per fix (INFO commandstats). */
  commands: { name: string; calls: number; us: number }[];
  /** Redis CPU µs per plain PUBLISH of the same JSON, pipelined 500 at a time (INFO cpu, as the script's). */
  publishUs: number;
  output: string;
}

async function publishCost(): Promise<number> {
  const server = await startPrivateRedis();
  const redis = new Redis(server.url);
  try {
    const json = `{"uid":"42","lat":23.1291,"lon":113.2644,"ts":1764000000000,"crs":"gcj02","speed":1.4}`;
    const cpuMs = async () => {
      const info = await redis.info('cpu');
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
      return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
    };
    const before = await cpuMs();
    for (let i = 0; i < CALLS; i += 500) {
      const p = redis.pipeline();
      for (let j = 0; j < 500; j++) p.publish('location_update', json);
      await p.exec();
    }
    return (((await cpuMs()) - before) * 1000) / CALLS;
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

export async function runPosition(): Promise<PositionCost> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'relay/positioning/measure.ts', String(CALLS)],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  const batch = /positionBatch\(\) of \d+: (\d+) fixes\/s; Redis CPU ([\d.]+) µs per fix/.exec(stdout);
  const commands = [...stdout.matchAll(/^ {2}(\w+): ([\d.]+) calls and ([\d.]+) µs per fix/gm)].map((m) => ({
    name: m[1] as string,
    calls: Number(m[2]),
    us: Number(m[3]),
  }));
  return {
    fixesPerSecond: Number(batch?.[1]),
    scriptUs: Number(batch?.[2]),
    commands,
    publishUs: await publishCost(),
    output: stdout,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cost = await runPosition();
  process.stdout.write(
    `position-batch.lua: ${cost.scriptUs} µs of Redis CPU per fix (${cost.fixesPerSecond} fixes/s); ` +
      `plain PUBLISH: ${cost.publishUs.toFixed(2)} µs per call\n`,
  );
  for (const c of cost.commands) process.stdout.write(`  ${c.name}: ${c.calls} calls, ${c.us} µs per fix\n`);
}
