/**
 * relay/plain-histogram.ts: the delivery-latency histogram observed once per fix, as a bucket search over plain
 * numbers, against prom-client's Histogram (label hashing, an object per call) with the same buckets.
 */
import { Histogram, Registry } from 'prom-client';
import { PlainHistogram } from '../../relay/plain-histogram.js';
import { compare, print, type Timing } from './harness.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function runHistogram(): Timing[] {
  const registry = new Registry();
  const plain = new PlainHistogram({
    name: 'micro_plain',
    help: 'x',
    buckets: BUCKETS,
    registers: [registry],
  });
  const prom = new Histogram({ name: 'micro_prom', help: 'x', buckets: BUCKETS, registers: [registry] });
  const values = Array.from({ length: 256 }, (_, i) => (i % 17) / 1000);
  let i = 0;
  return compare(
    {
      'PlainHistogram.observe': () => plain.observe(values[i++ & 255] as number),
      'prom-client Histogram.observe': () => prom.observe(values[i++ & 255] as number),
    },
    500_000,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) print('observe one delivery latency', runHistogram());
