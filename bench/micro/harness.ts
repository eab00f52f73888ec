/**
 * A tiny timing harness for the hot-path microbenchmarks: each trick and its plain alternative run in the same
 * process, alternately, several rounds, and the median ns per operation of each is kept. The machine is shared
 * (2 cores), so only the ratio of two figures from one run means anything; a result sink keeps V8 from removing
 * the work as dead code.
 */

/** Written by every measured call so the optimizer cannot drop it. */
export let sink: unknown;

export function consume(value: unknown): void {
  sink = value;
}

export interface Timing {
  name: string;
  /** Median ns per operation over the rounds. */
  ns: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Time each of `cases` (name → one operation) for `ops` operations per round, round-robin over `rounds` rounds after
 * one warm-up round, and return their medians in the order given.
 */
export function compare(cases: Record<string, () => void>, ops: number, rounds = 7): Timing[] {
  const names = Object.keys(cases);
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let round = -1; round < rounds; round++) {
    for (const name of names) {
      const op = cases[name] as () => void;
      const started = process.hrtime.bigint();
      for (let i = 0; i < ops; i++) op();
      const ns = Number(process.hrtime.bigint() - started) / ops;
      if (round >= 0) samples.get(name)?.push(ns);
    }
  }
  return names.map((name) => ({ name, ns: median(samples.get(name) ?? []) }));
}

/** One line per timing, with its ratio to the first (the trick). */
export function print(title: string, timings: Timing[]): void {
  const base = timings[0]?.ns ?? NaN;
  process.stdout.write(`${title}\n`);
  for (const t of timings)
    process.stdout.write(
      `  ${t.name.padEnd(58)} ${formatNs(t.ns).padStart(10)}  ${(t.ns / base).toFixed(2)}×\n`,
    );
}

export function formatNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}
