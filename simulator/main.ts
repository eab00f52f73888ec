/**
 * `npm run simulate`: simulated members moving around a city, sending fixes as the customer's PHP backend
 * publishes them on Redis, or to a relay's ingest API. The thin shell around options.ts, fleet.ts and run.ts.
 */
import { randomBytes } from 'node:crypto';
import { signMemberToken } from '../relay/auth/tokens.js';
import { liveFleetSettings } from './fleet.js';
import { parseSimulateOptions, SIMULATE_HELP, type SimulateOptions } from './options.js';
import { createIngestPublisher, createRedisPublisher, type FixPublisher } from './publishers.js';
import { startSimulation } from './run.js';

const say = (line: string): boolean => process.stdout.write(`${line}\n`);

async function publisherFor(options: SimulateOptions, uids: readonly string[]): Promise<FixPublisher> {
  if (options.ingest === undefined) return createRedisPublisher(options.redis, options.channel);
  const tokens = new Map<string, string>();
  for (const uid of uids) {
    tokens.set(
      uid,
      options.token ?? (await signMemberToken(options.secret as string, { uid, ttlSeconds: 7 * 86_400 })),
    );
  }
  return createIngestPublisher({ baseUrl: options.ingest, tokens, runId: randomBytes(4).toString('hex') });
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const parsed = parseSimulateOptions(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    if (parsed.help) {
      say(SIMULATE_HELP);
      process.exit(0);
    }
    process.stderr.write(`${parsed.errors.join('\n')}\n\n${SIMULATE_HELP}`);
    process.exit(2);
  }
  const options = parsed.value;
  const seed = options.seed ?? randomBytes(4).readUInt32LE();
  // Ticks on whole periods of the clock, so fixes of a 1 Hz run carry whole seconds.
  const periodMs = 1000 / options.rate;
  const startMs = Math.ceil((Date.now() + 200) / periodMs) * periodMs;
  const settings = liveFleetSettings(options, seed, Math.round(startMs));
  const uids = Array.from({ length: options.members }, (_, i) => String(options.firstUid + i));
  const publisher = await publisherFor(options, uids).catch((error: unknown) =>
    fail(error instanceof Error ? error.message : String(error)),
  );
  const target = options.ingest
    ? `${options.ingest} (ingest API)`
    : `${options.redis} channel '${options.channel}'`;
  say(
    `${options.members} members (uid ${uids[0]}${uids.length > 1 ? `-${uids.at(-1)}` : ''}) at ${options.rate} Hz ` +
      `around ${options.centre.lon},${options.centre.lat} (${options.crs}) -> ${target}; seed ${seed}`,
  );
  const simulation = startSimulation({
    fleet: settings,
    publisher,
    ...(options.durationS === undefined ? {} : { durationMs: options.durationS * 1000 }),
  });
  let reported = 0;
  const progress = setInterval(() => {
    const { sent, failed, lastError } = publisher.counts;
    if (sent + failed === reported) return;
    reported = sent + failed;
    say(`sent ${sent}, failed ${failed}${failed && lastError ? ` (last: ${lastError})` : ''}`);
  }, 10_000);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    await simulation.stop();
    await publisher.close();
    const { sent, failed, lastError } = publisher.counts;
    say(`stopped: sent ${sent}, failed ${failed}${failed && lastError ? ` (last: ${lastError})` : ''}`);
    process.exit(failed && !sent ? 1 : 0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await simulation.done;
  await stop();
}

void main();
