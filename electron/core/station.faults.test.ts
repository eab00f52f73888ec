/**
 * Store faults as the dispatcher sees them through the station: a full disk and a corrupt database file show up
 * in the status (with the store's stable codes) while the station keeps answering. The store's own fault tests
 * (electron/core/store/faults.test.ts) prove the data side; these prove the station says so.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../protocol/fix.js';
import type { StationStatus } from '../../contract/station-api.js';
import { memoryVault, openStationRuntime } from './runtime.js';
import { trackExporter } from './station/exporter.js';

const dirs: string[] = [];
const T0 = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;

function open(dataDir: string) {
  return openStationRuntime({
    dataDir,
    vault: memoryVault('token-for-an-unreachable-relay'),
    exporter: trackExporter,
    logger: pino({ level: 'silent' }),
    relayUrl: 'ws://127.0.0.1:1',
  });
}

function fixes(uid: string, count: number, start = 0): Fix[] {
  return Array.from({ length: count }, (_, i) => ({
    uid,
    lat: 23.1,
    lon: 113.3,
    ts: T0 + (start + i) * 1000,
    crs: 'gcj02',
  }));
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lodestar-station-faults-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('station over a failing store', () => {
  it('reports a full disk in its status, keeps running and keeps answering history', async () => {
    const runtime = open(tempDir());
    const statuses: StationStatus[] = [];
    runtime.station.onStatus((s) => statuses.push(s));
    try {
      runtime.store.enqueue(fixes('early', 500));
      await runtime.store.flush();
      runtime.store.db.pragma('wal_checkpoint(TRUNCATE)');
      const pages = runtime.store.db.pragma('page_count', { simple: true }) as number;
      runtime.store.db.pragma(`max_page_count = ${pages}`);

      runtime.store.enqueue(fixes('late', 20_000));
      await runtime.store.flush();
      const status = await runtime.station.getStatus();
      expect(status.storeWriteErrors).toBeGreaterThan(0);
      expect(status.storeProblem).toMatch(/^STORE_DISK_FULL/);
      expect(statuses.some((s) => (s.storeWriteErrors ?? 0) > 0)).toBe(true);
      expect((await runtime.station.queryRange({ uid: 'early', from: 0, to: Date.now() })).count).toBe(500);

      runtime.store.db.pragma('max_page_count = 1073741823');
      await runtime.store.flush();
      await new Promise((r) => setTimeout(r, 1_200)); // the writer's retry delay
      await runtime.store.flush();
      expect((await runtime.station.stats({ uid: 'late', from: 0, to: Date.now() })).count).toBe(20_000);
      expect((await runtime.station.getStatus()).storeProblem).toBeUndefined();
    } finally {
      await runtime.close();
    }
  });

  it('says the database was corrupt and set aside, never deletes it, and starts fresh', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lodestar.db'), 'this is not a database, it is a shopping list');
    const runtime = open(dir);
    try {
      const status = await runtime.station.getStatus();
      expect(status.storeProblem).toMatch(/^STORE_CORRUPT/);
      const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(await runtime.station.listWatched()).toEqual([]);
      await runtime.station.watch('42');
      expect((await runtime.station.listWatched()).map((m) => m.uid)).toEqual(['42']);
    } finally {
      await runtime.close();
    }
  });
});
