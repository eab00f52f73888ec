/**
 * `npm run bench:micro`: the microbenchmarks behind the relay's unusual hot-path code, each trick against its plain
 * alternative in the same process and run. `--docs` rewrites the "Relay hot path" section of docs/benchmarks.md.
 * Each script also runs alone: `npx tsx bench/micro/<name>.micro.ts`.
 */
import { cpus } from 'node:os';
import { writeSection } from '../docs-section.js';
import { formatNs, print, type Timing } from './harness.js';
import { runFrame } from './frame.micro.js';
import { runHistogram } from './histogram.micro.js';
import { runJson } from './json.micro.js';
import { runPosition } from './position.micro.js';
import { runSocketWrites } from './socket-writes.micro.js';

const sockets = await runSocketWrites();
print('server CPU per delivered frame (30 sockets, rounds of 150 frames)', sockets);
const frame = runFrame();
print('frame one fix message', frame);
const json = runJson();
print('read a PHP raw fix (string coordinates)', json.read);
print('read a mini-program raw fix (numbers, optional fields)', json.readMini);
print('write a positioned fix', json.write);
const histogram = runHistogram();
print('observe one delivery latency', histogram);
process.stderr.write('bench:micro: relay/positioning/measure.ts (about 30 s)...\n');
const position = await runPosition();
process.stdout.write(
  `position-batch.lua: ${position.scriptUs} µs of Redis CPU per fix; plain PUBLISH ${position.publishUs.toFixed(2)} µs\n`,
);

/** "trick X vs plain Y (Y/X ×)" for a pair of timings. */
const versus = (t: Timing[], a: number, b: number) => {
  const x = t[a] as Timing;
  const y = t[b] as Timing;
  return `${formatNs(x.ns)} vs ${formatNs(y.ns)} (${(y.ns / x.ns).toFixed(1)}× for the plain way)`;
};
function scannerReading(): string {
  const ratio = (t: Timing[]) => (t[1] as Timing).ns / (t[0] as Timing).ns;
  const php = ratio(json.read);
  const mini = ratio(json.readMini);
  return mini >= 1.2
    ? `is ${php.toFixed(1)}× faster on the PHP shape and ${mini.toFixed(1)}× on the mini-program's`
    : `pays off on the short PHP messages the customer sends today (${php.toFixed(1)}×) and is about even with \`JSON.parse\` on long all-numeric messages (${mini.toFixed(1)}×), where V8's parser is at its best`;
}
const perCommand = position.commands
  .filter((c) => c.calls >= 0.5)
  .map((c) => `${c.name.toUpperCase()} ${c.us} µs`)
  .join(', ');

const text = `## Relay hot path

Command: \`npm run bench:micro -- --docs\` (\`tsx bench/micro/run.ts\`; each \`bench/micro/*.micro.ts\` also runs alone), run ${new Date().toISOString().slice(0, 16)}Z.
Machine: ${cpus().length} cores (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; shared with other jobs. Each trick and its plain
alternative run alternately in one process, 7 rounds after a warm-up, medians: compare the two figures of a row,
not figures across runs or machines. Timings are per operation (per delivered frame for the socket writes: the
server's CPU until the clients, in another process, have every frame).

| Trick | File | Invariant it relies on | Measured: trick vs plain alternative |
|---|---|---|---|
| Fix frames written straight to the station's \`net.Socket\` (\`ws._socket\`), not through \`ws.send\` | \`relay/station/connection.ts\` \`writeFrame\` | permessage-deflate is off, so \`ws\` never holds a frame back: wire order is call order and \`bufferedAmount\` still counts the bytes (backpressure reads it) | ${versus(sockets, 0, 2)}, both corked |
| Each socket corked on its first frame of a round, uncorked once per round (end of the loop turn, or 1 ms later when the last round was busy) | \`relay/station/connection.ts\` \`corkUntilIdle\`, \`relay/station/uncork-delay.ts\` | every corked socket is in the one set that the one scheduled uncork empties; a round's frames are one \`writev\` per socket | ${versus(sockets, 0, 1)}; \`ws.send\` without cork ${formatNs(sockets[3]?.ns ?? NaN)} |
| Slab framer: the frame encoded once per fix into a shared 8 KB slab, payload at the worst-case header offset, no \`Buffer.byteLength\`, no joined string | \`relay/station/ws-frame.ts\` | a slab is never written again once a frame is cut from it (a full slab is replaced, not reset), so queued frames stay intact; payloads over 4 KB (worst case) take the plain path | ${versus(frame, 0, 1)} |
| Raw fixes read by a byte scanner instead of \`JSON.parse\` + \`normalizeRawFix\` | \`protocol/raw-fix-scan.ts\` | it only ever accepts: for anything it does not read exactly it declines and the JSON path decides (\`raw-fix-scan.test.ts\` checks both agree, by table and on generated messages) | PHP shape: ${versus(json.read, 0, 1)}; mini-program shape (11 numeric fields): ${versus(json.readMini, 0, 1)} |
| Fix JSON written by concatenation instead of \`JSON.stringify\` | \`protocol/fix-json.ts\` | \`uid\` and \`crs\` need no escaping: every fix passed \`parseRawFix\` or \`fixSchema\` (UID_PATTERN, CRS_VALUES); \`cid\` and \`epoch\` are escaped | ${versus(json.write, 0, 1)} |
| Delivery-latency histogram without labels instead of prom-client's \`Histogram\` | \`relay/plain-histogram.ts\` | it exports the series prom-client would (\`plain-histogram.test.ts\` compares both outputs) and needs no labels | ${versus(histogram, 0, 1)} |
| One \`position-batch.lua\` call per loop turn (≤ 256 fixes, one packed argument, claims checked per time bucket) | \`relay/positioning/position-batch.lua\`, \`position.lua\`; measured by \`relay/positioning/measure.ts\` | the batch runs on one Redis (member keys are derived in the script, not declared); canonical fix JSON holds no raw tab or newline | ${position.scriptUs} µs of Redis CPU per positioned fix (INFO cpu; per fix: ${perCommand}) vs ${position.publishUs.toFixed(2)} µs per plain \`PUBLISH\` of the same JSON |

Reading: the socket writes are the largest item per delivery, as the relay's profile says (\`writev\`/\`writeBuffer\`
lead it); the scanner ${scannerReading()}; position.lua's cost is Redis's, not the relay's, and is what limits
positioning on one Redis (docs/scaling.md).
`;
process.stdout.write(`\n${text}`);
if (process.argv.includes('--docs')) writeSection('## Relay hot path', text);
