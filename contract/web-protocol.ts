/**
 * The browser host's own small protocol, shared by electron/web/server.ts (Node) and the renderer's web-client.ts (browser), so both spell
 * paths and frames the same way. Browser-safe: no node imports.
 *
 * - `POST /api/call/<method>` with header `x-lodestar-key: <secret>` and body `{"args": [...]}` (wire JSON):
 *   200 `{"ok": true, "result": …}` or 4xx/5xx `{"ok": false, "error": {"code", "message"}}`.
 * - `GET /api/events` upgrades to a websocket; the first frame the client sends is `{"type":"hello","key":…}`
 *   (browsers cannot set headers on a websocket, and a key in the URL would end up in logs). The server answers
 *   `{"type":"ready"}` and then pushes `{"type":"event","event":<EventName>,"payload":…}` frames.
 * - `GET /api/exports/<exportId>?t=<download token>` downloads a finished export: a link cannot carry a header,
 *   so each export gets its own single-purpose random token.
 * - `GET /api/tiles/<path>?t=<tile token>` serves a tile the station serves itself (offline maps, the tile cache);
 *   `<img>` loads cannot carry a header either, so the page gets a per-run tile token inside the tile URLs of
 *   `StationSettings.activeBasemap`. It only ever reads tiles.
 * - `POST /api/basemaps/upload` with the key header and the raw .mbtiles file as the body streams it to the
 *   station's disk (size-limited) and answers `{"ok": true, "result": {"uploadId", "bytes"}}`; the page then calls
 *   `importOfflineMap({uploadId})`.
 */
export const KEY_HEADER = 'x-lodestar-key';
export const CALL_PATH = '/api/call/';
export const EVENTS_PATH = '/api/events';
export const EXPORTS_PATH = '/api/exports/';
export const TILES_PATH = '/api/tiles/';
export const UPLOAD_PATH = '/api/basemaps/upload';
/** The fragment parameter carrying the per-run secret in the URL the host prints (never sent to the server). */
export const KEY_FRAGMENT_PARAM = 'key';

export const WEB_ERROR_CODES = [
  'unauthorized',
  'forbidden_origin',
  'not_found',
  'bad_request',
  'payload_too_large',
  'internal',
] as const;
export type WebErrorCode = (typeof WEB_ERROR_CODES)[number];
