import { describe, expect, it } from 'vitest';
import { decodeWireBinary, encodeWireBinary, WireBinaryError } from './wire-binary.js';

const roundTrip = (value: unknown): unknown => {
  const bytes = encodeWireBinary(value);
  return decodeWireBinary(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

describe('binary wire codec', () => {
  it('round-trips typed arrays of every kind, odd lengths and non-aligned views included', () => {
    const backing = new Uint8Array(17);
    backing.set([1, 2, 3], 1);
    const value = {
      ok: true,
      result: {
        uid: '42',
        ts: new Float64Array([1.5, -2, Number.NaN, 1_800_000_000_000]),
        speed: new Float32Array([0.25, Number.NaN, 3]),
        crs: new Uint8Array([0, 1, 2]),
        view: backing.subarray(1, 4),
        ints: new Int32Array([-1, 7]),
        nested: [{ empty: new Float64Array(0), u: new Uint32Array([4_000_000_000]) }],
        text: '中文 and "quotes"',
      },
    };
    const back = roundTrip(value) as typeof value;
    expect(back.result.ts).toBeInstanceOf(Float64Array);
    expect(Array.from(back.result.ts)).toEqual([1.5, -2, Number.NaN, 1_800_000_000_000]);
    expect(Array.from(back.result.speed)).toEqual([0.25, Number.NaN, 3]);
    expect(Array.from(back.result.crs)).toEqual([0, 1, 2]);
    expect(Array.from(back.result.view)).toEqual([1, 2, 3]);
    expect(Array.from(back.result.ints)).toEqual([-1, 7]);
    expect(back.result.nested[0]?.empty).toBeInstanceOf(Float64Array);
    expect(Array.from(back.result.nested[0]?.u ?? [])).toEqual([4_000_000_000]);
    expect(back.result.text).toBe('中文 and "quotes"');
    expect(back.ok).toBe(true);
  });

  it('wraps a day of fixes without copying: the column is a view of the reply', () => {
    const day = Float64Array.from({ length: 86_400 }, (_, i) => 1_800_000_000_000 + i * 1000);
    const bytes = encodeWireBinary({ day });
    const buffer = bytes.buffer.slice(0);
    const back = decodeWireBinary(buffer) as { day: Float64Array };
    expect(back.day.buffer).toBe(buffer);
    expect(back.day).toEqual(day);
  });

  it.each([
    ['too short', new Uint8Array([1, 2, 3])],
    ['wrong magic', new Uint8Array(16)],
    ['json longer than the reply', Uint8Array.from([0x4c, 0x53, 0x57, 0x31, 200, 0, 0, 0, 0x7b, 0x7d])],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeWireBinary(bytes.buffer)).toThrow(WireBinaryError);
  });

  it('refuses a reference past the end of the reply', () => {
    const json = new TextEncoder().encode('{"a":{"$typed":"Float64Array","at":0,"n":1000}}');
    const bytes = new Uint8Array(8 + json.length + 8);
    new DataView(bytes.buffer).setUint32(0, 0x3157534c, true);
    new DataView(bytes.buffer).setUint32(4, json.length, true);
    bytes.set(json, 8);
    expect(() => decodeWireBinary(bytes.buffer)).toThrow(WireBinaryError);
  });
});
