/**
 * JSON that carries typed arrays, for the browser host's HTTP replies. `TrackColumns` holds Float64Array etc.,
 * which JSON.stringify would turn into `{"0":…}` objects: each typed array becomes `{"$typed": name, "b64": …}`
 * (the raw little-endian bytes, base64), and comes back as the same typed array. Browser-safe: atob/btoa only.
 */
const TYPED = {
  Float64Array,
  Float32Array,
  Uint8Array,
  Int32Array,
  Uint32Array,
} as const;
type TypedName = keyof typeof TYPED;

function isTypedName(name: unknown): name is TypedName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TYPED, name);
}

/** Node's Buffer when running under Node (the browser host's server): its base64 is native and ~10× faster. */
const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(b: ArrayBufferLike, offset: number, length: number): { toString(enc: 'base64'): string };
      from(s: string, enc: 'base64'): Uint8Array;
    };
  }
).Buffer;

function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return portableBytesToBase64(bytes);
}

/** The browser's path (exported so Node tests can check it against Buffer). */
export function portableBytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked: String.fromCharCode(...bigArray) overflows the call stack past ~100k arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  if (NodeBuffer) {
    const decoded = NodeBuffer.from(b64, 'base64');
    // Copy: a Buffer may be a view into a shared pool, and typed arrays need their own aligned buffer.
    return new Uint8Array(decoded);
  }
  return portableBase64ToBytes(b64);
}

/** Native base64 decoding where the engine has it (Chromium 140+): several times faster than atob and a loop. */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (b64: string) => Uint8Array<ArrayBuffer> })
  .fromBase64;

export function portableBase64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  if (nativeFromBase64) return nativeFromBase64.call(Uint8Array, b64);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name;
      if (isTypedName(name)) {
        return {
          $typed: name,
          b64: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)),
        };
      }
    }
    return v;
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && '$typed' in v && 'b64' in v) {
      const { $typed, b64 } = v as { $typed: unknown; b64: unknown };
      if (isTypedName($typed) && typeof b64 === 'string') {
        const bytes = base64ToBytes(b64);
        const Ctor = TYPED[$typed];
        // Copy into a fresh, aligned buffer: the decoded bytes' length must be a multiple of the element size.
        return new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
      }
    }
    return v;
  });
}
