/**
 * The browser host's basemap routes: tiles the station serves itself (behind a per-run tile token, since `<img>`
 * loads carry no header) and the upload of an .mbtiles file (behind the station key, streamed to disk with a size
 * limit). The tile lookup itself is core code (electron/core/basemaps/tile-service.ts).
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { withHostTileUrls } from '../../contract/basemaps/active.js';
import type { StationSettings } from '../../contract/station-api.js';
import { TILES_PATH } from '../../contract/web-protocol.js';
import type { StationBasemaps } from '../core/basemaps/station-basemaps.js';
import { keyMatches, newSecret } from './guard.js';

/** Larger than any city's raster set a station is likely to need; a whole province at z18 is more. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export type Fail = (res: ServerResponse, code: string, message: string) => void;

export function basemapRoutes(basemaps: StationBasemaps, maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES) {
  const tileToken = newSecret();

  /** Tile URLs of the settings the page gets, pointing at this host with the tile token. */
  function decorateSettings(settings: StationSettings): StationSettings {
    if (!settings.activeBasemap) return settings;
    return {
      ...settings,
      activeBasemap: withHostTileUrls(
        settings.activeBasemap,
        TILES_PATH,
        `?t=${encodeURIComponent(tileToken)}`,
      ),
    };
  }

  async function serveTile(res: ServerResponse, url: URL, fail: Fail): Promise<void> {
    if (!keyMatches(tileToken, url.searchParams.get('t'))) return fail(res, 'unauthorized', 'bad tile token');
    const answer = await basemaps.tiles.serve(url.pathname.slice(TILES_PATH.length));
    if (!answer.ok) {
      res.writeHead(answer.status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(answer.message);
      return;
    }
    res.writeHead(200, {
      'content-type': answer.tile.contentType,
      'content-length': answer.tile.data.length,
      'x-content-type-options': 'nosniff',
      // Offline tiles never change under a token; cached online tiles may be refreshed, so the page asks again.
      'cache-control': answer.from === 'offline' ? 'private, max-age=86400' : 'no-cache',
      'x-lodestar-tile': answer.from,
    });
    res.end(answer.tile.data);
  }

  async function receiveUpload(
    req: IncomingMessage,
    res: ServerResponse,
    fail: Fail,
    ok: (result: unknown) => void,
  ): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUploadBytes) {
      req.resume();
      return fail(res, 'payload_too_large', `offline maps are limited to ${maxUploadBytes} bytes`);
    }
    const { id, path } = basemaps.offline.newIncoming();
    let bytes = 0;
    let tooLarge = false;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxUploadBytes) {
          tooLarge = true;
          done(new Error('too large'));
        } else done(null, chunk);
      },
    });
    try {
      await pipeline(req, limit, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(path, { force: true });
      if (tooLarge) {
        res.setHeader('connection', 'close');
        return fail(res, 'payload_too_large', `offline maps are limited to ${maxUploadBytes} bytes`);
      }
      throw error;
    }
    if (bytes === 0) {
      await rm(path, { force: true });
      return fail(res, 'bad_request', 'the upload was empty');
    }
    ok({ uploadId: id, bytes });
  }

  return { decorateSettings, serveTile, receiveUpload };
}
