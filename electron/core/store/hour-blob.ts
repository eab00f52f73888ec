/**
 * One member-hour of track columns as one BLOB (table `hour_columns`, migration 4): a 24-byte header, then each
 * column's typed array, little-endian, in COLUMN_LAYOUT's order.
 *
 *   0  "LDHC"        magic
 *   4  u8  version   BLOB_VERSION; a blob of another version is not read (and gets rebuilt)
 *   5  3 bytes       zero
 *   8  u32 count     fixes in the hour
 *   12 u32 hour      floor(ts / 1 h): a blob stored under another hour is not read
 *   16 u32 length    the blob's own byte length, 24 + 38 × count
 *   20 u32           zero (keeps the columns on an 8-byte boundary)
 *   24 ts f64[count], lat f64, lon f64, speed f32, accuracy f32, heading f32, crs u8, arrival u8
 *
 * Hand-written: the payload is eight typed arrays copied byte for byte (the fastest decode there is, a memcpy
 * per column); a serialisation library (protobuf, msgpack, flatbuffers) would add a dependency and a copy to
 * carry typed arrays it has no better encoding for. Typed arrays use the host's byte order; every platform the
 * station ships for is little-endian, and on another one the store neither writes nor reads blobs
 * (`BLOBS_SUPPORTED`).
 *
 * Derived data: the rows stay the truth. `decodeHour` checks everything it cheaply can (header, exact length, the
 * hour, every fix time inside it and in order) and says why it refuses; the caller then reads the rows.
 */
import { endianness } from 'node:os';
import type { TrackColumns } from '../../../contract/station-api.js';
import { emptyColumns } from '../../../contract/track/columns.js';

export const HOUR_MS = 3_600_000;
export const BLOB_VERSION = 1;
export const HEADER_BYTES = 24;
const MAGIC_BYTES = [0x4c, 0x44, 0x48, 0x43] as const; // "LDHC"

type ColumnName = 'ts' | 'lat' | 'lon' | 'speed' | 'accuracy' | 'heading' | 'crs' | 'arrival';

/** Every typed-array column of TrackColumns, in blob order, with its element size (hour-blob.test.ts checks). */
export const COLUMN_LAYOUT: readonly { name: ColumnName; bytes: 8 | 4 | 1 }[] = [
  { name: 'ts', bytes: 8 },
  { name: 'lat', bytes: 8 },
  { name: 'lon', bytes: 8 },
  { name: 'speed', bytes: 4 },
  { name: 'accuracy', bytes: 4 },
  { name: 'heading', bytes: 4 },
  { name: 'crs', bytes: 1 },
  { name: 'arrival', bytes: 1 },
];
export const BYTES_PER_FIX = COLUMN_LAYOUT.reduce((sum, c) => sum + c.bytes, 0);

export const BLOBS_SUPPORTED = endianness() === 'LE';

export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS);

export function blobLength(count: number): number {
  return HEADER_BYTES + BYTES_PER_FIX * count;
}

/** The hour's columns (fixes 0..count-1, all inside `hour`, by time) as a blob. */
export function encodeHour(columns: TrackColumns, hour: number): Buffer {
  const count = columns.count;
  const length = blobLength(count);
  const out = Buffer.alloc(length);
  MAGIC_BYTES.forEach((b, i) => (out[i] = b));
  out[4] = BLOB_VERSION;
  out.writeUInt32LE(count, 8);
  out.writeUInt32LE(hour, 12);
  out.writeUInt32LE(length, 16);
  let at = HEADER_BYTES;
  for (const { name, bytes } of COLUMN_LAYOUT) {
    const column = columns[name];
    out.set(new Uint8Array(column.buffer, column.byteOffset, count * bytes), at);
    at += count * bytes;
  }
  return out;
}

export const REJECTIONS = ['short', 'magic', 'version', 'length', 'hour', 'times'] as const;
export type Rejection = (typeof REJECTIONS)[number];

export type Decoded = { ok: true; columns: TrackColumns } | { ok: false; why: Rejection };

/** The blob's columns as fresh arrays (the caller may keep them), or why it is not to be trusted. */
export function decodeHour(blob: Uint8Array, uid: string, hour: number): Decoded {
  if (blob.byteLength < HEADER_BYTES) return { ok: false, why: 'short' };
  if (MAGIC_BYTES.some((b, i) => blob[i] !== b)) return { ok: false, why: 'magic' };
  if (blob[4] !== BLOB_VERSION) return { ok: false, why: 'version' };
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const count = view.getUint32(8, true);
  if (view.getUint32(16, true) !== blob.byteLength || blobLength(count) !== blob.byteLength)
    return { ok: false, why: 'length' };
  if (view.getUint32(12, true) !== hour) return { ok: false, why: 'hour' };
  const columns = emptyColumns(uid, count);
  let at = HEADER_BYTES;
  for (const { name, bytes } of COLUMN_LAYOUT) {
    const column = columns[name];
    new Uint8Array(column.buffer, column.byteOffset, count * bytes).set(
      blob.subarray(at, at + count * bytes),
    );
    at += count * bytes;
  }
  // Cheap next to the copy, and it catches a blob whose bytes moved: every time in the hour, none going back.
  const start = hour * HOUR_MS;
  const ts = columns.ts;
  let previous = start;
  for (let i = 0; i < count; i++) {
    const t = ts[i]!;
    if (!(t >= previous)) return { ok: false, why: 'times' };
    previous = t;
  }
  if (count > 0 && !(previous < start + HOUR_MS)) return { ok: false, why: 'times' };
  columns.count = count;
  columns.totalCount = count;
  return { ok: true, columns };
}
