/**
 * The station API: everything the renderer may ask of the station, as one typed interface.
 *
 * Two hosts implement it over the same core (electron/core/): the Electron preload bridge (IPC, one method per
 * channel) and the browser host (HTTP + websocket on 127.0.0.1). The renderer only ever sees `StationApi`, so it
 * does not know which host it runs in. Subscriptions return their unsubscribe function.
 */
import type { Crs } from '../protocol/fix-limits.js';
import type { Fix } from '../protocol/fix-types.js';
import type { OfflineAlert } from './alerts.js';
import type { ActiveBasemap, BasemapChoice, OfflineMap, TileCacheMode } from './basemaps/active.js';
import type { LiveSettings } from './live-settings.js';
import type { TrackOverview } from './track/overview.js';
import type { TrackSettings } from './track/settings.js';

export type { TrackOverview } from './track/overview.js';

export type ConnectionState =
  'connecting' | 'connected' | 'reconnecting' | 'offline' | 'unauthorized' | 'token_expiring';

/**
 * Why the connection is in its state: one stable code per situation, for the renderer to translate (`reason` is
 * the English detail for logs and tooltips). A new situation gets a new code here, never a free-form string.
 */
export const STATUS_CODES = [
  'not_started',
  'connecting',
  'welcome',
  'stopped',
  'closing',
  'restarting',
  'relay_changed',
  'token_missing',
  'token_refreshed',
  'token_expiring',
  'bad_token',
  'bad_relay_url',
  'relay_unreachable',
  'heartbeat_timeout',
  // Close codes the relay uses (protocol/codes.ts CloseCode), by name.
  'normal',
  'policy_violation',
  'message_too_big',
  'internal_error',
  'service_restart',
  'token_expired',
  'slow_consumer',
  /** Any other close code (the number is in `detail`). */
  'connection_closed',
  // Upgrade refusals: the relay's auth codes (protocol/codes.ts AUTH_ERROR_CODES), then any other HTTP status.
  'token_malformed',
  'token_bad_signature',
  'token_wrong_role',
  'forbidden',
  /** The relay answered the upgrade with an HTTP error other than an auth refusal (the status is in `detail`). */
  'relay_http_error',
  // The browser page's own view of its host (renderer/src/station/web-client.ts), not the relay's.
  'host_unreachable',
  'unauthorized',
] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

/** Fetching a span of a member's fixes the relay could not replay (more than it replays at once) from its history. */
export interface BackfillProgress {
  uid: string;
  /** Fixes of the span now stored. */
  done: number;
  /** Fixes in the span (from the relay's offsets). */
  total: number;
}

export const HOLE_REASONS = ['beyond_window', 'epoch_changed', 'lost'] as const;
export type HoleReason = (typeof HOLE_REASONS)[number];

/**
 * A time span of a member's track the station knows it has no fixes for and never will: the relay no longer held
 * them (`beyond_window`), its history was lost (`epoch_changed`), or it dropped them (`lost`).
 * History draws it as missing data, never as a straight line.
 */
export interface DataHole {
  uid: string;
  /** Time of the last fix before the hole and of the first one after it (ms since 1970). */
  from: number;
  to: number;
  reason: HoleReason;
  /** How many fixes are missing, when the relay's offsets tell. */
  missing?: number;
}

export interface HoleQuery {
  uid: string;
  from: number;
  to: number;
}

/** What the relay answered for one member of a `watchMany`. */
export type WatchOutcome =
  | { uid: string; result: 'watched' }
  /** Kept in the watch list; the relay is asked at the next connection. */
  | { uid: string; result: 'pending' }
  /** The relay refused it (`forbidden`, `too_many_members`, `rate_limited`, …); not kept in the watch list. */
  | { uid: string; result: 'refused'; code: string; message: string };

export interface StationStatus {
  state: ConnectionState;
  /** Human-readable reason for the state (last close code/reason, auth error code, …). */
  reason?: string;
  /** Stable machine code for the reason, one of STATUS_CODES. */
  code?: StatusCode;
  /** The raw detail behind a generic code (a close code number, an HTTP status). */
  detail?: string;
  /** Spans being fetched from the relay's history, one entry per member. */
  backfill?: BackfillProgress[];
  /**
   * Members the relay is still catching up after a (re)connect: their missed fixes may still be on the way, so their
   * silence is not theirs. Absent when none; gone when the connection is. The core gives a catch-up up after 30 s
   * without progress or 10 min in all (electron/core/relay-client/catching-up.ts).
   */
  catchingUp?: number;
  /** When the state was entered, ms since 1970. */
  since: number;
  relayUrl?: string;
  /** The relay says it cannot reach Redis: no live fixes until it recovers. */
  relayDegraded?: boolean;
  /** When the next reconnect attempt is due (states `reconnecting` and `offline`). */
  nextRetryAt?: number;
  tokenExpiresAt?: number;
  /**
   * When the station got that token (a welcome or a refresh), so the token's life is known at least from then;
   * the status bar warns in proportion to it.
   */
  tokenReceivedAt?: number;
  /** Fixes the store failed to write (disk full, …) since start; non-zero means the station must say so. */
  storeWriteErrors?: number;
  /** A problem with the local database the dispatcher must know about (e.g. it was corrupt and set aside). */
  storeProblem?: string;
}

export interface WatchedMember {
  uid: string;
  /** Local label the dispatcher gave the member; defaults to the uid. */
  label: string;
  /** CSS colour for the member's marker and track. */
  color: string;
  addedAt: number;
}

export interface MemberSummary {
  uid: string;
  label?: string;
  /** Time of the member's latest stored fix, if any. */
  lastTs?: number;
  /** Whether the operator token allows watching this member. */
  allowed: boolean;
  watched: boolean;
}

/**
 * A member's fixes as columns: one typed array per field, index i of each is fix i, sorted by time.
 * Missing optional values are NaN. `crs` holds indexes into CRS_VALUES.
 */
export interface TrackColumns {
  uid: string;
  count: number;
  ts: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  speed: Float32Array;
  accuracy: Float32Array;
  heading: Float32Array;
  crs: Uint8Array;
  /** How each fix reached the station: ARRIVAL_* bits (contract/track/arrival.ts). */
  arrival: Uint8Array;
  /** True when the range held more fixes than `maxPoints` and was downsampled. */
  downsampled: boolean;
  /** Fixes in the range before downsampling. */
  totalCount: number;
}

export interface RangeQuery {
  uid: string;
  /** ms since 1970, inclusive. */
  from: number;
  /** ms since 1970, inclusive. */
  to: number;
  /** Downsample to at most this many points (keeping the shape of the track); omit for every fix. */
  maxPoints?: number;
}

/** A member's period as history draws it first: analysed on the station, see `StationApi.historyOverview`. */
export interface OverviewQuery {
  uid: string;
  /** ms since 1970, inclusive. */
  from: number;
  /** ms since 1970, inclusive. */
  to: number;
  /** Gap and stop settings to cut by (the defaults where left out). */
  settings?: Partial<TrackSettings>;
}

export interface PrepareHistoryQuery {
  /** ms since 1970, inclusive. */
  from: number;
  /** ms since 1970, inclusive. */
  to: number;
  settings?: Partial<TrackSettings>;
}

export interface PrepareHistoryResult {
  /** Members whose overview the station prepares (0: the period is not over yet or too long). */
  members: number;
}

/** Longest period prepared ahead: a day and an hour (a day with a daylight saving change). */
export const MAX_PREPARED_SPAN_MS = 25 * 3_600_000;

export interface TrackStats {
  uid: string;
  count: number;
  /** Time of the first and last fix in the range; undefined when the range is empty. */
  firstTs?: number;
  lastTs?: number;
  /** Great-circle length of the track, metres. */
  distanceM: number;
  /** lastTs - firstTs, ms. */
  durationMs: number;
  /** Time spent moving (segments faster than a walking threshold), ms. */
  movingMs: number;
  /** Highest speed, m/s: reported by the device where available, else derived from consecutive fixes. */
  maxSpeedMps: number;
}

export const EXPORT_FORMATS = ['gpx', 'kml', 'geojson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Most members one export may hold. */
export const MAX_EXPORT_MEMBERS = 50;

export interface ExportRequest {
  /** One file for all of these members (1 to MAX_EXPORT_MEMBERS, no repeats). */
  uids: string[];
  from: number;
  to: number;
  format: ExportFormat;
  /** The dispatcher's zone (minutes east of UTC): file names and CSV times are in local time. Default 0. */
  utcOffsetMinutes?: number;
  /** Gap and stop settings the segments and stops are cut by (the defaults where left out). */
  settings?: Partial<TrackSettings>;
}

export interface ExportProgress {
  exportId: string;
  uids: string[];
  format: ExportFormat;
  written: number;
  total: number;
  done: boolean;
  error?: string;
}

export interface ExportResult {
  exportId: string;
  /** Where the file was written (Electron: the chosen path; browser host: a file in the station's exports folder). */
  path: string;
  /** Browser host only: a same-origin URL that downloads the file. */
  downloadUrl?: string;
  count: number;
  bytes: number;
}

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The live view's thresholds and notification switch are station settings too (contract/live-settings.ts). */
export interface StationSettings extends LiveSettings {
  relayUrl: string;
  /** Whether a token is stored; the token itself never goes to the renderer. */
  hasToken: boolean;
  retentionDays: number;
  locale: Locale;
  /** Coordinate system of the basemap tiles (the chosen preset's or map's): fixes are converted to it when drawn. */
  basemapCrs: Crs;
  /** The custom tile URL template (basemap `custom`), drawn in `customCrs`. */
  tileUrl: string;
  /** The chosen basemap; '' until the dispatcher picked one (the first run asks). */
  basemap: BasemapChoice;
  /** The dispatcher's Tianditu browser key (天地图 tk). */
  tiandituKey: string;
  tileCache: TileCacheMode;
  /** Size limit of the local tile cache, MB; 0 turns it off. */
  tileCacheMb: number;
  /** The tiles to draw, with URLs this host serves; absent when the choice has none. */
  activeBasemap?: ActiveBasemap;
}

export interface SettingsUpdate {
  relayUrl?: string;
  /** Set a new operator token (write-only). */
  token?: string;
  retentionDays?: number;
  locale?: Locale;
  /** The CRS of the custom template and of the map without tiles (a preset or offline map brings its own). */
  basemapCrs?: Crs;
  tileUrl?: string;
  basemap?: BasemapChoice;
  tiandituKey?: string;
  tileCache?: TileCacheMode;
  tileCacheMb?: number;
  /** Both thresholds together must keep stale ≤ offline (checked against the stored ones). */
  staleAfterMs?: number;
  offlineAfterMs?: number;
  desktopNotifications?: boolean;
}

/**
 * Import an MBTiles file as an offline basemap: one the browser host received by upload (`uploadId`), or, in the
 * desktop app, one the dispatcher picks in a file dialog (`pick`). The CRS comes from the file's metadata, else
 * from `crs`.
 */
export type OfflineMapImport = { crs?: Crs; name?: string } & ({ uploadId: string } | { pick: true });

export type Unsubscribe = () => void;

export interface StationApi {
  getStatus(): Promise<StationStatus>;
  onStatus(listener: (status: StationStatus) => void): Unsubscribe;

  /** Live fixes as they are stored, in batches (at most one batch per animation-frame-ish tick). */
  onFixes(listener: (fixes: Fix[]) => void): Unsubscribe;

  listWatched(): Promise<WatchedMember[]>;
  /**
   * Resolves when the relay has answered (or at once while offline: the member is watched at the next
   * connection). A member the relay refuses is not kept and rejects with StationError `watch_refused`.
   */
  watch(uid: string, options?: { label?: string; color?: string }): Promise<WatchedMember>;
  /** Many members at once, paced within the relay's limits: one outcome per uid, in the order given. */
  watchMany(uids: string[]): Promise<WatchOutcome[]>;
  /** Resolves when the relay has confirmed (or at once while offline). */
  unwatch(uid: string): Promise<void>;
  updateMember(uid: string, changes: { label?: string; color?: string }): Promise<WatchedMember>;
  /** Members the token allows (when it names them) and members with recent fixes in the store. */
  listMembers(): Promise<MemberSummary[]>;

  /** Latest stored fix of each given member (all watched members when omitted). */
  latest(uids?: string[]): Promise<Fix[]>;
  queryRange(query: RangeQuery): Promise<TrackColumns>;
  /**
   * A member's period analysed on the station from every fix (segments, gaps, stops, figures, arrival runs, fixes
   * per minute, the holes) with the track simplified for drawing: what the first draw of history needs, a few
   * kB to ~100 kB instead of the columns' 3.2 MB a day. The columns follow through `queryRange`.
   */
  historyOverview(query: OverviewQuery): Promise<TrackOverview>;
  /**
   * A closed period the page expects to be reviewed (yesterday): the station analyses every watched member's
   * overview of it ahead, in the background, so a later `historyOverview` of it answers from memory. Replaces an
   * earlier ask; a period longer than `MAX_PREPARED_SPAN_MS`, or not over yet, prepares nothing.
   */
  prepareHistory(period: PrepareHistoryQuery): Promise<PrepareHistoryResult>;
  stats(query: Omit<RangeQuery, 'maxPoints'>): Promise<TrackStats>;
  /** Spans of a member's track in [from, to] known to be missing for good. */
  holes(query: HoleQuery): Promise<DataHole[]>;

  exportTrack(request: ExportRequest): Promise<ExportResult>;
  onExportProgress(listener: (progress: ExportProgress) => void): Unsubscribe;

  /**
   * Recent offline alerts, newest first, one per member (at most 200, none older than 24 h): kept by the station,
   * so a reloaded page and the other host show the same list.
   */
  listAlerts(): Promise<OfflineAlert[]>;
  /** Alerts this page raised (members seen live or stale that are now offline). */
  raiseAlerts(alerts: OfflineAlert[]): Promise<void>;
  /** The dispatcher dismissed the list, in every page. */
  clearAlerts(): Promise<void>;
  /** The whole list, each time it changes. */
  onAlerts(listener: (alerts: OfflineAlert[]) => void): Unsubscribe;

  getSettings(): Promise<StationSettings>;
  updateSettings(update: SettingsUpdate): Promise<StationSettings>;

  listOfflineMaps(): Promise<OfflineMap[]>;
  importOfflineMap(request: OfflineMapImport): Promise<OfflineMap>;
  /** Delete an imported map; a map in use is replaced by no basemap. */
  removeOfflineMap(id: string): Promise<void>;
}
