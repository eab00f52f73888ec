import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire, portableBase64ToBytes, portableBytesToBase64 } from './wire-codec.js';

describe('wire codec', () => {
  it('round-trips typed arrays inside objects, including non-aligned views', () => {
    const backing = new Uint8Array(17);
    backing.set([1, 2, 3], 1);
    const value = {
      ts: new Float64Array([1.5, -2, Number.NaN, 1_800_000_000_000]),
      speed: new Float32Array([0.25, Number.NaN]),
      crs: new Uint8Array([0, 1, 2]),
      view: backing.subarray(1, 4),
      nested: [{ empty: new Float64Array(0) }],
      plain: 'text',
    };
    const decoded = decodeWire(encodeWire(value)) as typeof value;
    expect(decoded.ts).toBeInstanceOf(Float64Array);
    expect(Array.from(decoded.ts)).toEqual([1.5, -2, Number.NaN, 1_800_000_000_000]);
    expect(Array.from(decoded.speed)).toEqual([0.25, Number.NaN]);
    expect(Array.from(decoded.crs)).toEqual([0, 1, 2]);
    expect(Array.from(decoded.view)).toEqual([1, 2, 3]);
    expect(decoded.nested[0]?.empty).toBeInstanceOf(Float64Array);
    expect(decoded.plain).toBe('text');
  });

  it('round-trips a day of fixes (86,400 values) in one column', () => {
    const day = Float64Array.from({ length: 86_400 }, (_, i) => 1_800_000_000_000 + i * 1000);
    expect((decodeWire(encodeWire({ day })) as { day: Float64Array }).day).toEqual(day);
  });

  it.each([
    ['unknown typed name', '{"$typed":"Function","b64":""}'],
    ['non-string payload', '{"$typed":"Uint8Array","b64":5}'],
  ])('leaves %s as a plain object', (_name, text) => {
    expect(decodeWire(text)).toEqual(JSON.parse(text));
  });
});

describe('browser base64 path', () => {
  it.each([0, 1, 2, 3, 4, 1000, 100_003])('matches Buffer for %i random bytes', (length) => {
    const bytes = Uint8Array.from({ length }, () => Math.floor(Math.random() * 256));
    const b64 = portableBytesToBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString('base64'));
    expect(portableBase64ToBytes(b64)).toEqual(bytes);
  });
});
