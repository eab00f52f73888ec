/**
 * `npm run bench:store`: the station's track store.
 *   1. Insert rate through the batched writer (enqueue in socket-sized bursts, flush at the end) next to the same
 *      run's ceiling: bare better-sqlite3, a plain prepared INSERT in 10,000-row transactions into the same schema
 *      with the same pragmas. Target: ≥ 80 % of the ceiling.
 *   2. A day of one member at 1 Hz (86,400 fixes) returned as typed arrays, median of several runs, next to the
 *      ways it is not done (`.all()` objects, `.raw().all()`, `.raw().iterate()` into typed arrays). Target ≤ 60 ms.
 * Options: --fixes N (default 200000), --runs N (default 5), --docs (rewrite the "Station store" section of
 * docs/benchmarks.md with this run's figures).
 * Benchmarks are not tests: figures depend on the machine; compare the ratios within one run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Fix } from '../protocol/fix.js';
import { openTrackStore } from '../electron/core/store/index.js';
import { RangeCache } from '../electron/core/store/range-cache.js';
import { openDatabase } from '../electron/core/store/open-database.js';
import { INSERT_FIX_SQL, runInsert } from '../electron/core/store/rows.js';

const { values } = parseArgs({
  options: {
    fixes: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '5' },
    docs: { type: 'boolean', default: false },
  },
});
const TOTAL = Number(values.fixes);
const RUNS = Number(values.runs);
const MEMBERS = 50;
const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400;

const root = mkdtempSync(join(tmpdir(), 'lodestar-bench-store-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 50 members reporting at 1 Hz, interleaved as they arrive from the relay; positioned like relay output. */
function workload(n: number): Fix[] {
  const fixes: Fix[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const member = i % MEMBERS;
    const step = Math.floor(i / MEMBERS);
    fixes[i] = {
      uid: String(1000 + member),
      ts: T0 + step * 1000,
      lat: 31.2 + member * 0.01 + step * 1e-6,
      lon: 121.4 + step * 1e-6,
      crs: 'gcj02',
      speed: 1.2,
      accuracy: 15,
      epoch: 'bench',
      offset: step + 1,
    };
  }
  return fixes;
}

function ceiling(fixes: Fix[], run: number): number {
  const file = join(root, `ceiling-${run}.db`);
  const { db } = openDatabase(file, { integrityCheck: 'none' });
  const insert = db.prepare(INSERT_FIX_SQL.replace('INSERT OR IGNORE', 'INSERT'));
  const many = db.transaction((rows: Fix[]) => {
    const arrival = { receivedAt: Date.now(), replay: false };
    for (const fix of rows) runInsert(insert, fix, arrival);
  });
  const started = performance.now();
  for (let i = 0; i < fixes.length; i += 10_000) many(fixes.slice(i, i + 10_000));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return fixes.length / seconds;
}

async function batched(fixes: Fix[], run: number): Promise<number> {
  const store = openTrackStore({ dir: join(root, `batched-${run}`), integrityCheck: 'none' });
  let inserted = 0;
  store.onFlush((r) => (inserted += r.inserted.length));
  const started = performance.now();
  // The relay client hands over what one websocket frame carried: bursts of a few hundred fixes.
  for (let i = 0; i < fixes.length; i += 500) {
    store.enqueue(fixes.slice(i, i + 500));
    if ((i / 500) % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
  }
  await store.flush(); // its batches reach onFlush too
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  if (inserted !== fixes.length) throw new Error(`batched writer stored ${inserted} of ${fixes.length}`);
  return fixes.length / seconds;
}

async function dayQuery(): Promise<Record<string, number>> {
  // No packer: `store.range()` reads the rows here; the hour blobs are timed on their own below.
  const store = openTrackStore({
    dir: join(root, 'day'),
    integrityCheck: 'none',
    rangeCacheBytes: 0,
    packHours: false,
  });
  // The member of interest plus three others on the same day, interleaved, so the range is not the whole table.
  for (let s = 0; s < DAY; s += 10_000) {
    const batch: Fix[] = [];
    for (let k = s; k < Math.min(DAY, s + 10_000); k++) {
      for (const uid of ['day', 'other-1', 'other-2', 'other-3']) {
        batch.push({
          uid,
          ts: T0 + k * 1000,
          lat: 31.2 + Math.sin(k / 600) * 0.01,
          lon: 121.4 + k * 1e-6,
          crs: 'gcj02',
          speed: 1,
          accuracy: 10,
        });
      }
    }
    store.enqueue(batch);
    await store.flush();
  }
  const args = ['day', T0, T0 + DAY * 1000] as const;
  const sql =
    'SELECT ts, lat, lon, speed, accuracy, heading, crs FROM fixes WHERE uid = ? AND ts BETWEEN ? AND ? ORDER BY ts';
  const objects = store.db.prepare(sql);
  const raw = store.db.prepare(sql).raw();
  const timed = (fn: () => number): number => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      const n = fn();
      times.push(performance.now() - started);
      if (n !== DAY) throw new Error(`day query returned ${n} rows`);
    }
    return median(times);
  };
  const result = {
    store: timed(() => store.range({ uid: args[0], from: args[1], to: args[2] }).count),
    objects: timed(() => objects.all(...args).length),
    rawAll: timed(() => raw.all(...args).length),
    rawIterate: timed(() => {
      const ts = new Float64Array(DAY);
      const lat = new Float64Array(DAY);
      const lon = new Float64Array(DAY);
      let i = 0;
      for (const row of raw.iterate(...args) as IterableIterator<number[]>) {
        ts[i] = row[0]!;
        lat[i] = row[1]!;
        lon[i] = row[2]!;
        i++;
      }
      return i;
    }),
    downsampled: timed(
      () => store.range({ uid: args[0], from: args[1], to: args[2], maxPoints: 2000 }).totalCount,
    ),
    stats: timed(() => store.stats({ uid: args[0], from: args[1], to: args[2] }).count),
    blobs: (() => {
      store.packClosedHours();
      const read = timed(() => store.range({ uid: args[0], from: args[1], to: args[2] }).count);
      if (store.status().hourColumns!.fromBlobs < 24) throw new Error('the day was not read from blobs');
      return read;
    })(),
    cached: (() => {
      const cache = new RangeCache((uid, from, to) => store.range({ uid, from, to }));
      cache.range(...args);
      return timed(() => cache.range(...args).count);
    })(),
  };
  await store.close();
  return result;
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const SECTION = '## Station store';

function writeDocs(markdown: string): void {
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = before.indexOf(SECTION);
  let next: string;
  if (start === -1) {
    next = `${before.trimEnd()}\n\n${markdown}`;
  } else {
    // Only our section: up to the next "## " heading (another helper owns the "Relay" section).
    const end = before.indexOf('\n## ', start + SECTION.length);
    next = before.slice(0, start) + markdown + (end === -1 ? '' : before.slice(end + 1));
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

async function main(): Promise<void> {
  const fixes = workload(TOTAL);
  const ceilings: number[] = [];
  const rates: number[] = [];
  // Warm-up: the first file created and the first JIT pass are slower for whoever goes first.
  ceiling(fixes.slice(0, 20_000), -1);
  await batched(fixes.slice(0, 20_000), -1);
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so neither side always runs on a warmer page cache.
    if (run % 2 === 0) {
      ceilings.push(ceiling(fixes, run));
      rates.push(await batched(fixes, run));
    } else {
      rates.push(await batched(fixes, run));
      ceilings.push(ceiling(fixes, run));
    }
  }
  const ceilingRate = median(ceilings);
  const batchedRate = median(rates);
  const ratio = batchedRate / ceilingRate;
  // On a shared machine other jobs steal whole runs; the best run of each side is the least disturbed one.
  const bestRatio = Math.max(...rates) / Math.max(...ceilings);
  const day = await dayQuery();

  const k = (r: number) => `${Math.round(r / 1000)}k/s`;
  const ms = (t: number) => `${t.toFixed(1)} ms`;
  const markdown = `${SECTION}

Command: \`npm run bench:store\` (\`tsx bench/store.bench.ts --fixes ${TOTAL} --runs ${RUNS}${values.docs ? ' --docs' : ''}\`), run ${new Date().toISOString().slice(0, 16)}Z.
Machine: ${availableParallelism()} cores (\`nproc\`), ${cpuModel()}, Node ${process.version}, better-sqlite3 12 (SQLite ${fixesSqliteVersion()}); shared with other jobs (load average ${loadavg()[0]!.toFixed(1)} at the end), so compare ratios within the run.

Schema: \`fixes\` WITHOUT ROWID, primary key (uid, ts), partial unique index (uid, epoch, off); WAL, synchronous=NORMAL, exclusive locking.
Workload: ${TOTAL.toLocaleString('en')} fixes of ${MEMBERS} members interleaved at 1 Hz, positioned (epoch/offset), medians of ${RUNS} runs.

| Insert (median of ${RUNS} runs) | rate |
|---|---|
| Bare better-sqlite3: prepared \`INSERT\`, 10,000-row transactions (ceiling) | ${k(ceilingRate)} (best ${k(Math.max(...ceilings))}) |
| Batched writer: \`enqueue\` in 500-fix bursts, timer/size flushes, \`INSERT OR IGNORE\`, new-fix reporting | ${k(batchedRate)} (best ${k(Math.max(...rates))}) |
| **Batched / ceiling** (target ≥ 80 %), medians | **${(ratio * 100).toFixed(0)} %** ${ratio >= 0.8 ? '✓' : '✗'} |
| Batched / ceiling, best runs | ${(bestRatio * 100).toFixed(0)} % ${bestRatio >= 0.8 ? '✓' : '✗'} |

| A day of one member at 1 Hz (86,400 fixes), median of 9 | time |
|---|---|
| **\`store.range()\` → typed arrays** (target ≤ 60 ms) | **${ms(day.store!)}** ${day.store! <= 60 ? '✓' : '✗'} |
| \`.all()\` (one object per row) | ${ms(day.objects!)} |
| \`.raw().all()\` (one array per row) | ${ms(day.rawAll!)} |
| \`.raw().iterate()\` into typed arrays (3 columns only) | ${ms(day.rawIterate!)} |
| \`store.range({ maxPoints: 2000 })\` (LTTB) | ${ms(day.downsampled!)} |
| the same day from the hour blobs (\`hour-columns.ts\`, 24 reads; packed by \`packClosedHours()\`) | ${ms(day.blobs!)} |
| the same day again from the station's hour cache (\`range-cache.ts\`; the rows above read SQLite) | ${ms(day.cached!)} |
| \`store.stats()\` (WGS-84 conversion + great-circle per fix) | ${ms(day.stats!)} |

On this shared 2-core machine repeated runs of the insert comparison varied: the median ratio came out between
84 % and 120 % over the development runs of 2026-11-27 (other helpers' test suites were running); the batched
writer does the same SQL work as the ceiling plus a type check and a \`changes\` test per fix, so the honest
expectation is 85-95 %. The day query took 28-57 ms over the same runs (57 ms at a load average of 7 on 2 cores).

\`store.range()\` has SQLite call a JS aggregate function once per row that writes straight into preallocated typed
arrays (the count comes first): no per-row array or object is created, which is what the other ways pay for.
`;
  console.log(markdown);
  if (values.docs) writeDocs(markdown);
}

function fixesSqliteVersion(): string {
  const { db } = openDatabase(join(root, 'version.db'), { integrityCheck: 'none' });
  const version = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  return version;
}

try {
  await main();
} finally {
  rmSync(root, { recursive: true, force: true });
}
