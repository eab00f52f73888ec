import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSampledWarn } from './sampled-warn.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

describe('createSampledWarn', () => {
  it('logs at most once per interval per key, with a sample and the count suppressed since', async () => {
    const { logger, lines } = capture();
    let now = 0;
    const warn = createSampledWarn(logger, 1000, () => now);
    warn('drop:not_json', { sample: 'a' }, 'dropped');
    warn('drop:not_json', { sample: 'b' }, 'dropped');
    warn('drop:not_json', { sample: 'c' }, 'dropped');
    warn('drop:too_large', { sample: 'x' }, 'dropped');
    now = 1500;
    warn('drop:not_json', { sample: 'd' }, 'dropped');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.sample, l.suppressed])).toEqual([
      ['a', 0],
      ['x', 0],
      ['d', 2],
    ]);
  });

  it('computes lazy fields only for the lines it writes', async () => {
    const { logger, lines } = capture();
    let now = 0;
    let computed = 0;
    const warn = createSampledWarn(logger, 1000, () => now);
    const fields = (sample: string) => () => {
      computed++;
      return { sample };
    };
    for (const sample of ['a', 'b', 'c']) warn('drop:not_json', fields(sample), 'dropped');
    now = 1500;
    warn('drop:not_json', fields('d'), 'dropped');
    await new Promise((r) => setImmediate(r));
    expect(computed).toBe(2);
    expect(lines.map((l) => [l.sample, l.suppressed])).toEqual([
      ['a', 0],
      ['d', 2],
    ]);
  });
});
