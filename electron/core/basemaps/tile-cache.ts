/**
 * The bounded cache of tiles seen online (`<data>/tile-cache.sqlite`), so a station that loses the internet still
 * draws the streets it has shown. Least recently used tiles go first once the size limit is passed; eviction
 * trims to 90 % of the limit so a busy pan does not evict on every tile. One SQLite file of its own: the track
 * store's database and its backups stay free of throwaway images.
 */
import Database from 'better-sqlite3';
import type { Tile } from './offline-maps.js';

export interface CachedTile extends Tile {
  storedAt: number;
}

export interface TileCacheUsage {
  tiles: number;
  bytes: number;
  limitBytes: number;
}

export class TileCache {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement;
  private readonly touchStmt: Database.Statement;
  private readonly putStmt: Database.Statement;
  private readonly oldestStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;
  private bytes: number;
  private count: number;
  private clock: number;

  constructor(
    path: string,
    private limitBytes: number,
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS tiles (
      key TEXT PRIMARY KEY, data BLOB NOT NULL, content_type TEXT NOT NULL, bytes INTEGER NOT NULL,
      used INTEGER NOT NULL, stored INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS tiles_used ON tiles (used);`);
    this.getStmt = this.db.prepare('SELECT data, content_type, stored FROM tiles WHERE key = ?');
    this.touchStmt = this.db.prepare('UPDATE tiles SET used = ? WHERE key = ?');
    this.putStmt = this.db.prepare(
      `INSERT INTO tiles (key, data, content_type, bytes, used, stored) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET data = excluded.data, content_type = excluded.content_type,
       bytes = excluded.bytes, used = excluded.used, stored = excluded.stored`,
    );
    this.oldestStmt = this.db.prepare('SELECT key, bytes FROM tiles ORDER BY used LIMIT 200');
    this.deleteStmt = this.db.prepare('DELETE FROM tiles WHERE key = ?');
    const totals = this.db
      .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b, COALESCE(MAX(used), 0) AS u FROM tiles')
      .get() as {
      n: number;
      b: number;
      u: number;
    };
    this.count = totals.n;
    this.bytes = totals.b;
    // A counter, not the wall clock: order is all LRU needs, and a clock step back would reorder it.
    this.clock = totals.u;
  }

  get(key: string): CachedTile | undefined {
    const row = this.getStmt.get(key) as { data: Buffer; content_type: string; stored: number } | undefined;
    if (!row) return undefined;
    this.touchStmt.run(++this.clock, key);
    return { data: row.data, contentType: row.content_type, storedAt: row.stored };
  }

  put(key: string, tile: Tile, now = Date.now()): void {
    if (tile.data.length > this.limitBytes) return;
    const previous = this.getStmt.get(key) as { data: Buffer } | undefined;
    this.putStmt.run(key, tile.data, tile.contentType, tile.data.length, ++this.clock, now);
    this.bytes += tile.data.length - (previous?.data.length ?? 0);
    if (!previous) this.count++;
    if (this.bytes > this.limitBytes) this.evict(Math.floor(this.limitBytes * 0.9));
  }

  setLimit(limitBytes: number): void {
    this.limitBytes = limitBytes;
    if (this.bytes > limitBytes) this.evict(Math.floor(limitBytes * 0.9));
  }

  usage(): TileCacheUsage {
    return { tiles: this.count, bytes: this.bytes, limitBytes: this.limitBytes };
  }

  private evict(target: number): void {
    this.db.transaction(() => {
      while (this.bytes > target) {
        const rows = this.oldestStmt.all() as { key: string; bytes: number }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          if (this.bytes <= target) break;
          this.deleteStmt.run(row.key);
          this.bytes -= row.bytes;
          this.count--;
        }
      }
    })();
  }

  close(): void {
    this.db.close();
  }
}
