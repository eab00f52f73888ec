/**
 * A second station process for the fault tests (run with `node --import tsx store-child.ts <mode> <dir>`):
 *   hold  <dir>  open the store, print `{"ready":pid}`, keep it open until killed or stdin closes
 *   write <dir>  open the store and write fixes of member `crash` continuously (ts = T0, T0+1, …); after every
 *                committed flush print `{"committed":<highest ts written so far>}`
 * A failed open prints `{"error":code,"message":…}` and exits with 3.
 */
import { openTrackStore } from '../index.js';
import type { TrackStore } from '../index.js';
import type { Fix } from '../../../../protocol/fix.js';
import { CRASH_T0 } from './child.js';

const [mode, dir] = process.argv.slice(2);

function say(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

let store: TrackStore;
try {
  store = openTrackStore({ dir: dir! });
} catch (error) {
  say({ error: (error as { code?: string }).code, message: (error as Error).message });
  process.exit(3);
}

if (mode === 'hold') {
  say({ ready: process.pid });
  process.stdin.resume();
  process.stdin.on('end', () => void store.close().then(() => process.exit(0)));
} else if (mode === 'write') {
  let next = 0;
  let highestWritten = -1;
  store.onFlush((result) => {
    if (result.error) return;
    for (const fix of result.inserted) highestWritten = Math.max(highestWritten, fix.ts);
    // Reported only after the transaction committed: everything up to here must survive a kill -9.
    if (highestWritten >= 0) say({ committed: highestWritten });
  });
  const burst = (): void => {
    const batch: Fix[] = [];
    for (let i = 0; i < 2_000; i++, next++) {
      batch.push({
        uid: 'crash',
        ts: CRASH_T0 + next,
        lat: 30 + next * 1e-7,
        lon: 120,
        crs: 'gcj02',
        speed: 1,
      });
    }
    store.enqueue(batch);
    setTimeout(burst, 5);
  };
  say({ ready: process.pid });
  burst();
} else {
  say({ error: 'BAD_MODE', message: `unknown mode ${mode}` });
  process.exit(2);
}
