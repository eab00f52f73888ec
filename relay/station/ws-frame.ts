/**
 * A complete server→client websocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked) around a payload. The
 * fan-out frames each fix once and writes the same bytes to every watching socket, instead of letting `ws` build a
 * header and copy the payload per connection.
 *
 * Small frames are encoded straight into a shared slab, as Node's own Buffer pool does for `allocUnsafe`: the
 * payload goes in at the worst-case header offset, its UTF-8 length is what `write` returns, and the header is put
 * just before it. So no separate `Buffer.byteLength` pass over the text (a visible share of the relay's CPU per fix),
 * and a slab no larger than Node's pool is kept alive by the frames still queued in it.
 */

const SLAB_BYTES = 8192;
/** Payloads up to this many bytes (worst case) go in the slab; a frame of one at most 4 header bytes. */
const MAX_SLAB_PAYLOAD = SLAB_BYTES / 2;
const EMPTY = Buffer.alloc(0);

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

export function encodeTextFrame(text: string): Buffer {
  return encodeWrappedTextFrame(EMPTY, text, EMPTY);
}

/**
 * The text frame of `prefix`, `text` as UTF-8, then `suffix`: the fan-out wraps each fix's JSON in the message
 * envelope without building the joined string first.
 */
export function encodeWrappedTextFrame(prefix: Buffer, text: string, suffix: Buffer): Buffer {
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  const worst = prefix.length + text.length * 3 + suffix.length;
  if (worst > MAX_SLAB_PAYLOAD) return encodeLarge(prefix, text, suffix);
  if (slabUsed + 4 + worst > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const payloadAt = slabUsed + 4;
  let at = payloadAt;
  for (let i = 0; i < prefix.length; i++) slab[at++] = prefix[i] as number;
  at += slab.write(text, at);
  for (let i = 0; i < suffix.length; i++) slab[at++] = suffix[i] as number;
  const length = at - payloadAt;
  let start: number;
  if (length < 126) {
    start = payloadAt - 2;
    slab[start + 1] = length;
  } else {
    start = payloadAt - 4;
    slab[start + 1] = 126;
    slab[start + 2] = length >> 8;
    slab[start + 3] = length & 0xff;
  }
  slab[start] = 0x81;
  // Next frame 8-byte aligned, as Node's pool keeps its slices.
  slabUsed = (at + 7) & ~7;
  return slab.subarray(start, at);
}

function encodeLarge(prefix: Buffer, text: string, suffix: Buffer): Buffer {
  const length = prefix.length + Buffer.byteLength(text) + suffix.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  prefix.copy(frame, headerLength);
  frame.write(text, headerLength + prefix.length, 'utf8');
  suffix.copy(frame, headerLength + length - suffix.length);
  return frame;
}
