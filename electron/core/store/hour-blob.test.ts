/**
 * The hour blob: every column of TrackColumns, byte for byte back, and a blob that does not check out refused
 * with its reason, never read.
 */
import { describe, expect, it } from 'vitest';
import { emptyColumns } from '../../../contract/track/columns.js';
import {
  BLOB_VERSION,
  blobLength,
  COLUMN_LAYOUT,
  decodeHour,
  encodeHour,
  HEADER_BYTES,
  HOUR_MS,
  type Rejection,
} from './hour-blob.js';
import { closedBefore, PACK_AFTER_MS } from './hour-packer.js';

const HOUR = 494_000;
const T = HOUR * HOUR_MS;

function hourColumns(count: number) {
  const c = emptyColumns('42', count);
  for (let i = 0; i < count; i++) {
    c.ts[i] = T + Math.floor((i * HOUR_MS) / Math.max(1, count));
    c.lat[i] = 31.2 + i * 1e-7;
    c.lon[i] = 121.4 - i * 1e-7;
    c.speed[i] = i % 7 === 0 ? Number.NaN : i * 0.1;
    c.accuracy[i] = 12.5;
    c.heading[i] = i % 360;
    c.crs[i] = i % 3;
    c.arrival[i] = i % 8;
  }
  c.count = c.totalCount = count;
  return c;
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('hour blob', () => {
  it('lays out every typed-array column of TrackColumns, with its element size', () => {
    const c = emptyColumns('x', 1) as unknown as Record<string, unknown>;
    const typed = Object.keys(c).filter((k) => ArrayBuffer.isView(c[k]));
    expect(COLUMN_LAYOUT.map((l) => l.name).sort()).toEqual(typed.sort());
    for (const { name, bytes } of COLUMN_LAYOUT)
      expect((c[name] as Float64Array).BYTES_PER_ELEMENT).toBe(bytes);
  });

  it.each([0, 1, 3_600, 7_201])('gives back %i fixes bit for bit', (count) => {
    const c = hourColumns(count);
    const blob = encodeHour(c, HOUR);
    expect(blob.byteLength).toBe(blobLength(count));
    const back = decodeHour(blob, '42', HOUR);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.columns.count).toBe(count);
    expect(back.columns.totalCount).toBe(count);
    expect(back.columns.downsampled).toBe(false);
    for (const { name } of COLUMN_LAYOUT)
      expect(Buffer.compare(bytesOf(back.columns[name]), bytesOf(c[name])), name).toBe(0);
  });

  const good = () => encodeHour(hourColumns(10), HOUR);
  const cases: [string, () => Uint8Array, number, Rejection][] = [
    ['empty', () => new Uint8Array(0), HOUR, 'short'],
    ['cut in the header', () => good().subarray(0, HEADER_BYTES - 1), HOUR, 'short'],
    ['another magic', () => Object.assign(good(), { 0: 0x00 }), HOUR, 'magic'],
    ['a newer version', () => Object.assign(good(), { 4: BLOB_VERSION + 1 }), HOUR, 'version'],
    ['one byte short', () => good().subarray(0, blobLength(10) - 1), HOUR, 'length'],
    ['one byte more', () => Buffer.concat([good(), Buffer.from([0])]), HOUR, 'length'],
    [
      'a count that does not fit the length',
      () => {
        const b = good();
        b.writeUInt32LE(11, 8);
        return b;
      },
      HOUR,
      'length',
    ],
    ['stored under another hour', good, HOUR + 1, 'hour'],
    [
      'a time going back',
      () => {
        const b = good();
        b.writeDoubleLE(T + HOUR_MS - 1, HEADER_BYTES + 8 * 3);
        return b;
      },
      HOUR,
      'times',
    ],
    [
      'a time past the hour',
      () => {
        const b = good();
        b.writeDoubleLE(T + HOUR_MS, HEADER_BYTES + 8 * 9);
        return b;
      },
      HOUR,
      'times',
    ],
    [
      'a time that is not a number',
      () => {
        const b = good();
        b.writeDoubleLE(Number.NaN, HEADER_BYTES);
        return b;
      },
      HOUR,
      'times',
    ],
  ];
  it.each(cases)('refuses a blob %s', (_name, blob, hour, why) => {
    expect(decodeHour(blob(), '42', hour)).toEqual({ ok: false, why });
  });
});

describe('closedBefore', () => {
  it.each([
    ['the hour just over: not yet', T + HOUR_MS, HOUR],
    ['the margin not yet past: not yet', T + HOUR_MS + PACK_AFTER_MS - 1, HOUR],
    ['the margin past: closed', T + HOUR_MS + PACK_AFTER_MS, HOUR + 1],
    ['the middle of the next hour: closed', T + HOUR_MS + HOUR_MS / 2, HOUR + 1],
  ])('the hour %s', (_name, now, first) => {
    expect(closedBefore(now)).toBe(first);
  });
});
