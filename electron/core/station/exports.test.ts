import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../../contract/station-api.js';
import { openTrackStore, type TrackStore } from '../store/index.js';
import { ExportRunner, type TrackExporter } from './exports.js';

const DAY = Date.parse('2026-11-30T00:00:00+08:00');
const REQUEST: ExportRequest = {
  uids: ['42'],
  from: DAY,
  to: DAY + 86_400_000 - 1,
  format: 'gpx',
  utcOffsetMinutes: 480,
};
let dir: string;
let store: TrackStore;
const logger = pino({ level: 'silent' });
/** Writes the file the runner names (as the real writer does) after a turn, so two exports overlap. */
const writingExporter: TrackExporter = async ({ file }) => {
  await new Promise((r) => setTimeout(r, 20));
  writeFileSync(file, 'x');
  return { count: 1, bytes: 1 };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-exports-'));
  store = openTrackStore({ dir: join(dir, 'data') });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ExportRunner', () => {
  it('names files by member and local day and never gives two exports the same name', async () => {
    const runner = new ExportRunner({
      store,
      exporter: writingExporter,
      exportsDir: join(dir, 'out'),
      logger,
    });
    const [a, b] = await Promise.all([runner.run(REQUEST), runner.run(REQUEST)]);
    const c = await runner.run({ ...REQUEST, uids: ['42', '43', '44'] });
    expect([a, b, c].map((r) => basename(r.path))).toEqual([
      'lodestar_42_2026-11-30.gpx',
      'lodestar_42_2026-11-30_2.gpx',
      'lodestar_3-members_2026-11-30.gpx',
    ]);
    expect(basename((await runner.run(REQUEST)).path)).toBe('lodestar_42_2026-11-30_3.gpx');
  });

  it('writes where the dispatcher chose, and says so when they cancel', async () => {
    const chosen = join(dir, 'chosen.gpx');
    const asked: string[] = [];
    const runner = new ExportRunner({
      store,
      exporter: writingExporter,
      exportsDir: join(dir, 'out2'),
      logger,
      chooseExportPath: async (suggested) => {
        asked.push(basename(suggested));
        return asked.length === 1 ? chosen : undefined;
      },
    });
    expect((await runner.run(REQUEST)).path).toBe(chosen);
    await expect(runner.run(REQUEST)).rejects.toMatchObject({ code: 'export_cancelled' });
    expect(asked).toEqual(['lodestar_42_2026-11-30.gpx', 'lodestar_42_2026-11-30.gpx']);
  });
});
