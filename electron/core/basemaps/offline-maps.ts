/**
 * The station's imported offline maps: each MBTiles file is copied into `<data>/basemaps/<id>.mbtiles` with a
 * `<id>.json` beside it describing it (name, CRS, zooms), so several can be kept, switched and removed. Files
 * arrive in `incoming/` first (the browser host streams an upload there, Electron copies a picked file), and are
 * only imported from there by id: no station call ever names a path.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { OfflineMap } from '../../../contract/basemaps/active.js';
import { StationError } from '../../../contract/errors.js';
import { CONTENT_TYPE, inspectMbtiles, openMbtiles, tileReader } from './mbtiles.js';
import { OFFLINE_MAP_ID } from './schemas.js';

export interface Tile {
  data: Buffer;
  contentType: string;
}

interface OpenMap {
  db: Database.Database;
  read: (z: number, x: number, y: number) => Buffer | undefined;
  contentType: string;
}

export class OfflineMapLibrary {
  private readonly open = new Map<string, OpenMap>();
  readonly incomingDir: string;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {
    this.incomingDir = join(dir, 'incoming');
    // Uploads a previous run never imported are leftovers: nothing refers to them any more.
    rmSync(this.incomingDir, { recursive: true, force: true });
    mkdirSync(this.incomingDir, { recursive: true });
  }

  /** A fresh id and the path a new file for it goes to (then `import` it by that id). */
  newIncoming(): { id: string; path: string } {
    const id = randomBytes(15).toString('base64url');
    return { id, path: this.incomingPath(id) };
  }

  incomingPath(id: string): string {
    if (!OFFLINE_MAP_ID.test(id)) throw new StationError('bad_request', 'bad upload id');
    return join(this.incomingDir, `${id}.mbtiles`);
  }

  /** Copy a file the desktop shell's dialog picked into incoming/. */
  async stage(sourcePath: string): Promise<string> {
    const { id, path } = this.newIncoming();
    await copyFile(sourcePath, path);
    return id;
  }

  list(): OfflineMap[] {
    const maps: OfflineMap[] = [];
    for (const file of readdirSync(this.dir)) {
      if (!file.endsWith('.json')) continue;
      try {
        maps.push(JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as OfflineMap);
      } catch (error) {
        this.logger.warn({ err: error, file }, 'unreadable offline map description skipped');
      }
    }
    return maps.sort((a, b) => a.importedAt - b.importedAt);
  }

  /** Check the uploaded file, then keep it. A refused file is deleted; nothing half-imported stays. */
  import(uploadId: string, options: { crs?: Crs; name?: string }): OfflineMap {
    const incoming = this.incomingPath(uploadId);
    let size: number;
    try {
      size = statSync(incoming).size;
    } catch {
      throw new StationError('not_found', 'no such upload (it may have been imported already)');
    }
    try {
      const db = openMbtiles(incoming);
      let info;
      try {
        info = inspectMbtiles(db);
      } finally {
        db.close();
      }
      // The file's own metadata wins: it describes how its tiles were drawn.
      const crs = info.crs ?? options.crs;
      if (!crs) {
        throw new StationError(
          'offline_map_crs_required',
          'the file does not say its coordinate system: choose one',
        );
      }
      const map: OfflineMap = {
        id: uploadId,
        name: options.name ?? info.name ?? `MBTiles ${new Date().toISOString().slice(0, 10)}`,
        crs,
        format: info.format,
        minZoom: info.minZoom,
        maxZoom: info.maxZoom,
        bytes: size,
        importedAt: Date.now(),
        ...(info.bounds ? { bounds: info.bounds } : {}),
        ...(info.attribution ? { attribution: info.attribution } : {}),
      };
      renameSync(incoming, join(this.dir, `${uploadId}.mbtiles`));
      writeFileSync(join(this.dir, `${uploadId}.json`), JSON.stringify(map));
      this.logger.info({ id: uploadId, name: map.name, crs, bytes: size }, 'offline map imported');
      return map;
    } catch (error) {
      rmSync(incoming, { force: true });
      throw error;
    }
  }

  remove(id: string): void {
    if (!OFFLINE_MAP_ID.test(id)) throw new StationError('bad_request', 'bad offline map id');
    const json = join(this.dir, `${id}.json`);
    try {
      statSync(json);
    } catch {
      throw new StationError('not_found', 'no such offline map');
    }
    this.open.get(id)?.db.close();
    this.open.delete(id);
    rmSync(json, { force: true });
    rmSync(join(this.dir, `${id}.mbtiles`), { force: true });
  }

  has(id: string): boolean {
    return this.opened(id) !== undefined;
  }

  /** One tile, XYZ numbering; undefined when the map or the tile is not there. */
  tile(id: string, z: number, x: number, y: number): Tile | undefined {
    const map = this.opened(id);
    const data = map?.read(z, x, y);
    return map && data ? { data, contentType: map.contentType } : undefined;
  }

  private opened(id: string): OpenMap | undefined {
    const known = this.open.get(id);
    if (known) return known;
    if (!OFFLINE_MAP_ID.test(id)) return undefined;
    const description = this.list().find((m) => m.id === id);
    if (!description) return undefined;
    try {
      const db = openMbtiles(join(this.dir, `${id}.mbtiles`));
      const map = { db, read: tileReader(db), contentType: CONTENT_TYPE[description.format] };
      this.open.set(id, map);
      return map;
    } catch (error) {
      this.logger.warn({ err: error, id }, 'offline map file unreadable');
      return undefined;
    }
  }

  close(): void {
    for (const map of this.open.values()) map.db.close();
    this.open.clear();
  }
}
