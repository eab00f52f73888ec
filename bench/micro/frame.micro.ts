/**
 * The slab framer (relay/station/ws-frame.ts): each fix's websocket frame is written straight into a shared 8 KB
 * slab, payload first at the worst-case header offset and the header just before it, with no separate
 * `Buffer.byteLength` pass and no joined string. The plain way: join the message string, `Buffer.from` it, and
 * copy a header and the payload into a new frame (what a websocket library does per send).
 */
import { encodeWrappedTextFrame } from '../../relay/station/ws-frame.js';
import { compare, consume, print, type Timing } from './harness.js';

const PREFIX = Buffer.from('{"type":"fix","fix":');
const SUFFIX = Buffer.from('}');
const NOW = 1_764_000_000_000;
const fixes = Array.from(
  { length: 256 },
  (_, i) =>
    `{"uid":"${1000 + i}","lat":23.${129100 + i},"lon":113.${264400 + i},"ts":${NOW + i},"crs":"gcj02",` +
    `"epoch":"e${NOW}.${i}","offset":${1000 + i}}`,
);

function plainFrame(json: string): Buffer {
  const payload = Buffer.from(`{"type":"fix","fix":${json}}`);
  const header = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.alloc(4);
  if (payload.length >= 126) {
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  }
  return Buffer.concat([header, payload]);
}

export function runFrame(): Timing[] {
  // Same bytes from both, checked before timing.
  if (!encodeWrappedTextFrame(PREFIX, fixes[0] as string, SUFFIX).equals(plainFrame(fixes[0] as string)))
    throw new Error('the two framers disagree');
  let i = 0;
  return compare(
    {
      'encodeWrappedTextFrame (slab, no byteLength, no join)': () =>
        consume(encodeWrappedTextFrame(PREFIX, fixes[i++ & 255] as string, SUFFIX)),
      'join + Buffer.from + header + Buffer.concat': () => consume(plainFrame(fixes[i++ & 255] as string)),
    },
    200_000,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) print('frame one fix message', runFrame());
