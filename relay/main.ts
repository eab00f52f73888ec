/**
 * `npm run relay`: parse configuration, start the relay, drain on SIGTERM/SIGINT and exit 0.
 */
import { pino } from 'pino';
import { startRelay } from './app.js';
import { parseRelayConfig, relayHelp } from './config.js';

const parsed = parseRelayConfig(process.argv.slice(2), process.env);
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(relayHelp());
    process.exit(0);
  }
  for (const e of parsed.errors) process.stderr.write(`relay: ${e}\n`);
  process.stderr.write('relay: see --help\n');
  process.exit(2);
}
const config = parsed.config;
const logger = pino({ level: config.logLevel });

process.on('uncaughtException', (error) => {
  logger.fatal({ err: error }, 'uncaught exception');
  process.exit(1);
});

const relay = await startRelay({ ...config, logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'relay failed to start');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
