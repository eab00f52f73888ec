/**
 * Station settings, one row per key (JSON values) in the store's database: a setting added later needs no
 * migration, and a value that no longer validates falls back to its default instead of failing the start.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CRS_VALUES } from '../../../protocol/fix.js';
import { LOCALES } from '../../../contract/station-api.js';
import {
  basemapChoiceSchema,
  tiandituKeySchema,
  tileCacheMbSchema,
  tileUrlSchema,
} from '../basemaps/schemas.js';
import { TILE_CACHE_MODES } from '../../../contract/basemaps/active.js';
import { DEFAULT_LIVE_SETTINGS, LIVE_THRESHOLD_LIMITS } from '../../../contract/live-settings.js';
import { StoreError } from './errors.js';
import type { StoredSettings } from './types.js';

export const DEFAULT_SETTINGS: StoredSettings = {
  relayUrl: '',
  retentionDays: 365,
  locale: 'zh-CN',
  // wx.onLocationChange gives GCJ-02 and the usual Chinese tile servers draw in it.
  basemapCrs: 'gcj02',
  tileUrl: '',
  // Empty until the dispatcher picks one: the first run asks (offering Gaode roads).
  basemap: '',
  tiandituKey: '',
  tileCache: 'auto',
  tileCacheMb: 256,
  ...DEFAULT_LIVE_SETTINGS,
};

const liveThreshold = z.number().int().min(LIVE_THRESHOLD_LIMITS[0]).max(LIVE_THRESHOLD_LIMITS[1]);

export const settingsSchema = z.object({
  relayUrl: z.union([
    z.literal(''),
    z
      .string()
      .max(2048)
      .regex(/^wss?:\/\//),
  ]),
  retentionDays: z.number().int().min(0).max(36_500),
  locale: z.enum(LOCALES),
  basemapCrs: z.enum(CRS_VALUES),
  tileUrl: tileUrlSchema,
  basemap: basemapChoiceSchema,
  tiandituKey: tiandituKeySchema,
  tileCache: z.enum(TILE_CACHE_MODES),
  tileCacheMb: tileCacheMbSchema,
  staleAfterMs: liveThreshold,
  offlineAfterMs: liveThreshold,
  desktopNotifications: z.boolean(),
});

const KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof StoredSettings)[];

export class SettingsTable {
  private readonly all: Database.Statement;
  private readonly put: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly defaults: StoredSettings = DEFAULT_SETTINGS,
  ) {
    this.all = db.prepare('SELECT key, value FROM settings');
    this.put = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(): StoredSettings {
    const stored = new Map((this.all.all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const out = { ...this.defaults };
    for (const key of KEYS) {
      const raw = stored.get(key);
      if (raw === undefined) continue;
      try {
        const parsed = settingsSchema.shape[key].safeParse(JSON.parse(raw));
        if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
      } catch {
        // unreadable value: keep the default
      }
    }
    // One threshold fell back to its default (or an older build stored them apart): stale never after offline.
    out.staleAfterMs = Math.min(out.staleAfterMs, out.offlineAfterMs);
    return out;
  }

  /** Validate the whole update first, then write it in one transaction: all or nothing. */
  update(update: Partial<StoredSettings>): StoredSettings {
    const parsed = settingsSchema.partial().strict().safeParse(update);
    if (!parsed.success) throw new StoreError('STORE_BAD_INPUT', `bad settings: ${parsed.error.message}`);
    const valid = parsed.data;
    if (valid.staleAfterMs !== undefined || valid.offlineAfterMs !== undefined) {
      const current = this.get();
      const stale = valid.staleAfterMs ?? current.staleAfterMs;
      const offline = valid.offlineAfterMs ?? current.offlineAfterMs;
      if (stale > offline) {
        throw new StoreError('STORE_BAD_INPUT', 'bad settings: staleAfterMs must not exceed offlineAfterMs');
      }
    }
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(valid)) {
        if (value !== undefined) this.put.run(key, JSON.stringify(value));
      }
    })();
    return this.get();
  }
}
