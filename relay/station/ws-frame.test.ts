import type { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { encodeTextFrame } from './ws-frame.js';

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

describe('encodeTextFrame', () => {
  it.each([
    ['empty', ''],
    ['short', '{"type":"fix"}'],
    ['125 bytes (largest 7-bit length)', 'x'.repeat(125)],
    ['126 bytes (16-bit length)', 'x'.repeat(126)],
    ['multi-byte UTF-8', '{"name":"北京 ✓"}'],
    ['65,535 bytes', 'y'.repeat(65_535)],
    ['65,536 bytes (64-bit length)', 'z'.repeat(65_536)],
  ])('%s', async (_name, text) => {
    expect(await decode(encodeTextFrame(text))).toBe(text);
  });
});
