/**
 * A seeded random source, so a simulated member, a generated day and a test table give the same numbers on every
 * machine. Hand-written because the project depends on no seeded generator and the algorithm (mulberry32, public
 * domain, 32-bit state) is a dozen lines; statistical quality far beyond what a GPS track needs.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** Mixes any 32-bit integers into one well-spread 32-bit value (the murmur3 finaliser). */
export function mix32(...values: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const value of values) {
    h = Math.imul(h ^ (value | 0), 0x85ebca6b);
    h = (h << 13) | (h >>> 19);
    h = Math.imul(h, 0xc2b2ae35) ^ (h >>> 16);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic number in [0, 1) for a tuple of integers: the same street lines for the same seed, anywhere. */
export function hash01(...values: readonly number[]): number {
  return mix32(...values) / 0x1_0000_0000;
}

export function createRandom(seed: number): Random {
  let state = mix32(seed, Math.floor(seed / 0x1_0000_0000)) | 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) | 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
    },
  };
}

/** An independent stream for part `index` of a seeded whole (member 3 of a run, the jitter of a day…). */
export function forkRandom(seed: number, ...path: readonly number[]): Random {
  return createRandom(mix32(seed, Math.floor(seed / 0x1_0000_0000), ...path));
}

export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random.next();
}

/** An integer in [min, max]. */
export function integer(random: Random, min: number, max: number): number {
  return Math.floor(uniform(random, min, max + 1));
}

/** Standard normal (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random.next(); // (0, 1]: log(0) would be -Infinity
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Index chosen with probability proportional to its weight. */
export function weightedIndex(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let r = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] as number;
    if (r < 0) return i;
  }
  return weights.length - 1;
}
