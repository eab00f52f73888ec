import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PlainHistogram } from './plain-histogram.js';

const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The same observations into prom-client's Histogram and a PlainHistogram, each on a registry of its own. */
function both(values: number[]) {
  const config = {
    name: 'lodestar_relay_delivery_latency_seconds',
    help: 'From receiving to handing over',
    buckets: BUCKETS,
  };
  const promRegistry = new Registry();
  const plainRegistry = new Registry();
  const prom = new Histogram({ ...config, registers: [promRegistry] });
  const plain = new PlainHistogram({ ...config, registers: [plainRegistry] });
  for (const v of values) {
    prom.observe(v);
    plain.observe(v);
  }
  return { promRegistry, plainRegistry, prom, plain };
}

describe('PlainHistogram exports what prom-client Histogram exports', () => {
  it.each<[string, number[]]>([
    ['no observation', []],
    ['one in the first bucket', [0]],
    ['on each bound exactly', BUCKETS],
    ['between bounds', [0.00015, 0.0007, 0.003, 0.07, 0.5]],
    ['above every bound (+Inf only)', [1.001, 5, 60]],
    ['negative (a clock step back)', [-0.001, -2]],
    ['millisecond steps as the fan-out observes', Array.from({ length: 2000 }, (_, i) => (i % 1500) / 1000)],
  ])('%s', async (_name, values) => {
    const { promRegistry, plainRegistry } = both(values);
    expect(await plainRegistry.metrics()).toBe(await promRegistry.metrics());
    expect(await plainRegistry.getMetricsAsJSON()).toStrictEqual(await promRegistry.getMetricsAsJSON());
  });

  it('resets with the registry', async () => {
    const { promRegistry, plainRegistry, prom, plain } = both([0.002, 3]);
    promRegistry.resetMetrics();
    plainRegistry.resetMetrics();
    prom.observe(0.02);
    plain.observe(0.02);
    expect(await plainRegistry.metrics()).toBe(await promRegistry.metrics());
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s as prom-client does', (value) => {
    const { prom, plain } = both([]);
    expect(() => prom.observe(value)).toThrow(TypeError);
    expect(() => plain.observe(value)).toThrow(TypeError);
  });
});
