/**
 * A whole station in its own process, for the kill -9 test: it opens the runtime on a data folder, subscribes to a
 * relay, and prints one line per committed flush (`committed <total>`), so the parent knows what must survive.
 * Args: <dataDir> <relayUrl> <token> <uid,uid,...>
 */
import { pino } from 'pino';
import { memoryVault, openStationRuntime } from '../runtime.js';
import { trackExporter } from '../station/exporter.js';

const [dataDir, relayUrl, token, uids] = process.argv.slice(2);
if (!dataDir || !relayUrl || !token || !uids) {
  process.stderr.write('usage: station-child <dataDir> <relayUrl> <token> <uids>\n');
  process.exit(2);
}
const runtime = openStationRuntime({
  dataDir,
  relayUrl,
  vault: memoryVault(token),
  exporter: trackExporter,
  logger: pino({ level: 'warn' }, pino.destination(2)),
});
for (const uid of uids.split(',')) runtime.store.putWatched(uid);
let committed = 0;
runtime.store.onFlush((result) => {
  if (result.error) return;
  committed += result.inserted.length;
  process.stdout.write(`committed ${committed}\n`);
});
runtime.station.onStatus((status) => process.stdout.write(`status ${status.state}\n`));
runtime.station.start();
