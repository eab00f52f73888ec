/**
 * A binary form of the wire codec for the browser host's call replies: the JSON part carries every typed array as
 * a reference, and the arrays' raw bytes follow it, each aligned to 8 bytes, so the page wraps them as typed array
 * views of the one response buffer without copying or base64. A member's day (86,400 fixes) is ~3.2 MB of columns:
 * as base64 inside JSON it cost the page a 4.2 MB string to parse and decode before the first pixel.
 *
 * Layout: "LSW1" | uint32 LE json byte length | json (UTF-8) | zero padding to 8 | arrays, each padded to 8.
 * A reference is `{"$typed": name, "at": byte offset in the array section, "n": element count}`.
 * Browser-safe: TextEncoder/TextDecoder and DataView only.
 */
export const WIRE_BINARY_TYPE = 'application/x-lodestar-wire';

const MAGIC = 0x3157534c; // "LSW1" read as little-endian uint32
const TYPED = { Float64Array, Float32Array, Uint8Array, Int32Array, Uint32Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

const align8 = (n: number): number => (n + 7) & ~7;

function isTypedName(name: unknown): name is TypedName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TYPED, name);
}

export function encodeWireBinary(value: unknown): Uint8Array<ArrayBuffer> {
  const arrays: Typed[] = [];
  let at = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView) && isTypedName(v.constructor.name)) {
      const typed = v as Typed;
      const ref = { $typed: v.constructor.name, at, n: typed.length };
      arrays.push(typed);
      at += align8(typed.byteLength);
      return ref;
    }
    return v;
  });
  const jsonBytes = new TextEncoder().encode(json ?? 'null');
  const head = align8(8 + jsonBytes.length);
  const out = new Uint8Array(head + at);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, jsonBytes.length, true);
  out.set(jsonBytes, 8);
  let offset = head;
  for (const typed of arrays) {
    out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), offset);
    offset += align8(typed.byteLength);
  }
  return out;
}

export class WireBinaryError extends Error {
  readonly code = 'bad_wire';
}

export function decodeWireBinary(buffer: ArrayBuffer): unknown {
  if (buffer.byteLength < 8) throw new WireBinaryError('wire reply shorter than its header');
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== MAGIC) throw new WireBinaryError('not a Lodestar wire reply');
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > buffer.byteLength) throw new WireBinaryError('wire reply cut short');
  const base = align8(8 + jsonLength);
  const json = new TextDecoder().decode(new Uint8Array(buffer, 8, jsonLength));
  return JSON.parse(json, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && '$typed' in v && 'at' in v && 'n' in v) {
      const { $typed, at, n } = v as { $typed: unknown; at: unknown; n: unknown };
      if (isTypedName($typed) && Number.isSafeInteger(at) && Number.isSafeInteger(n)) {
        const Ctor = TYPED[$typed];
        const start = base + (at as number);
        if (
          (at as number) < 0 ||
          (n as number) < 0 ||
          start + (n as number) * Ctor.BYTES_PER_ELEMENT > buffer.byteLength
        )
          throw new WireBinaryError('a typed array reaches past the reply');
        return new Ctor(buffer, start, n as number);
      }
    }
    return v;
  });
}
