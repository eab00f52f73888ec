import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { encodeTextFrame, encodeWrappedTextFrame } from './ws-frame.js';

// ws exports its frame parser, but @types/ws does not declare it.
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

/** Decode with ws's own receiver (client side: unmasked frames), so the encoder is checked against the library. */
function decode(frame: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) =>
      isBinary ? reject(new Error('binary')) : resolve(data.toString()),
    );
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

/** The frame as built before the slab: byte count, then header and payload in a buffer of their own. */
function reference(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, length])
      : length < 65_536
        ? Buffer.from([0x81, 126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([0x81, 127]),
            Buffer.from(BigInt(length).toString(16).padStart(16, '0'), 'hex'),
          ]);
  return Buffer.concat([header, payload]);
}

const TEXTS: [string, string][] = [
  ['empty', ''],
  ['short', '{"type":"fix"}'],
  ['125 bytes (largest 7-bit length)', 'x'.repeat(125)],
  ['126 bytes (16-bit length)', 'x'.repeat(126)],
  ['multi-byte UTF-8', '{"name":"北京 ✓"}'],
  ['125 bytes of 3-byte characters and ASCII', `${'京'.repeat(41)}xx`],
  ['126 bytes of 3-byte characters', '京'.repeat(42)],
  ['4-byte characters (surrogate pairs)', '📍'.repeat(40)],
  ['a lone surrogate (written as U+FFFD)', 'a\ud800b'],
  ['1,365 characters: the largest worst case in the slab', '京'.repeat(1365)],
  ['1,366 characters: past the slab', '京'.repeat(1366)],
  ['65,535 bytes', 'y'.repeat(65_535)],
  ['65,536 bytes (64-bit length)', 'z'.repeat(65_536)],
];

describe('encodeTextFrame', () => {
  it.each(TEXTS)('%s', async (_name, text) => {
    const frame = encodeTextFrame(text);
    expect(frame.equals(reference(text))).toBe(true);
    // What the station reads: the text itself, a lone surrogate replaced (as Buffer.from does).
    expect(await decode(frame)).toBe(Buffer.from(text).toString());
  });
});

describe('encodeWrappedTextFrame', () => {
  const PREFIX = Buffer.from('{"type":"fix","fix":');
  const SUFFIX = Buffer.from('}');
  it.each(TEXTS)('%s', async (_name, text) => {
    const frame = encodeWrappedTextFrame(PREFIX, text, SUFFIX);
    expect(frame.equals(reference(`{"type":"fix","fix":${text}}`))).toBe(true);
    expect(await decode(frame)).toBe(Buffer.from(`{"type":"fix","fix":${text}}`).toString());
  });

  it('leaves every earlier frame intact while later ones fill slab after slab', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `{"uid":"${i}","n":"${'é'.repeat(i % 300)}"}`);
    const frames = texts.map((text) => encodeWrappedTextFrame(PREFIX, text, SUFFIX));
    texts.forEach((text, i) => {
      expect(frames[i]?.equals(reference(`{"type":"fix","fix":${text}}`)), text).toBe(true);
    });
  });
});
