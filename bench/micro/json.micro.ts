/**
 * The relay's JSON on the hot path: reading each raw fix with the scanner (protocol/raw-fix-scan.ts, behind
 * `parseRawFix`) instead of JSON.parse + `normalizeRawFix`, and writing each fix with `fixJson`
 * (protocol/fix-json.ts) instead of JSON.stringify. Messages as the customer's PHP sends them (string coordinates)
 * and as the mini-program sends them (numbers and optional fields).
 */
import { parseRawFix, parseRawFixJson, type Fix } from '../../protocol/fix.js';
import { fixJson } from '../../protocol/fix-json.js';
import { parsePositionedMessages } from '../../relay/positioning/positioned-message.js';
import { compare, consume, print, type Timing } from './harness.js';

const NOW = 1_764_000_000_000;
const php = Array.from(
  { length: 256 },
  (_, i) =>
    `{"uid":${1000 + i},"longitude":"113.${264400 + i}","latitude":"23.${129100 + i}","ts":${NOW + i * 1000}}`,
);
const mini = Array.from(
  { length: 256 },
  (_, i) =>
    `{"uid":"m${i}","longitude":113.${264400 + i},"latitude":23.${129100 + i},"ts":${NOW + i},"crs":"gcj02",` +
    `"speed":1.4,"accuracy":15,"altitude":21.5,"horizontalAccuracy":15,"verticalAccuracy":8,"heading":270}`,
);

export function runJson(): { read: Timing[]; readMini: Timing[]; write: Timing[] } {
  let i = 0;
  const read = compare(
    {
      'scanRawFix fast path (parseRawFix)': () => consume(parseRawFix(php[i++ & 255] as string, NOW)),
      'JSON.parse + normalizeRawFix (parseRawFixJson)': () =>
        consume(parseRawFixJson(php[i++ & 255] as string, NOW)),
    },
    100_000,
  );
  const readMini = compare(
    {
      'scanRawFix fast path (parseRawFix)': () => consume(parseRawFix(mini[i++ & 255] as string, NOW)),
      'JSON.parse + normalizeRawFix (parseRawFixJson)': () =>
        consume(parseRawFixJson(mini[i++ & 255] as string, NOW)),
    },
    100_000,
  );
  // Positioned fixes as the fan-out gets them: read back from a position-batch.lua message, so they have the
  // object shape the relay's hot path sees.
  const plain = php.map((m) => {
    const parsed = parseRawFix(m, NOW);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.value;
  });
  const batch = `[${plain.map((f, k) => fixJson({ ...f, epoch: `e${NOW}.${k}`, offset: 1000 + k })).join(',')}]`;
  const fixes = parsePositionedMessages(batch).fixes;
  const write = compare(
    {
      'fixJson (concatenation)': () => consume(fixJson(fixes[i++ & 255] as Fix)),
      'JSON.stringify': () => consume(JSON.stringify(fixes[i++ & 255])),
    },
    200_000,
  );
  return { read, readMini, write };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runJson();
  print('read a PHP raw fix (string coordinates)', r.read);
  print('read a mini-program raw fix (numbers, optional fields)', r.readMini);
  print('write a positioned fix', r.write);
}
