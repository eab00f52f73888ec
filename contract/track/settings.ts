/**
 * The dispatcher's settings for reading a track: where it splits into segments, what counts as a stop, which fixes
 * the figures set aside. One list, shared by the renderer (drawing, lists, figures) and the core (exports).
 */
export interface TrackSettings {
  /** Consecutive fixes further apart in time than this are a gap, ms. */
  gapMs: number;
  /** A step faster than this (after allowing for both fixes' accuracy) is impossible: a gap or a stray fix, m/s. */
  maxSpeedMps: number;
  /** A stop is a stay within this radius of its centre, metres. */
  stopRadiusM: number;
  /** … lasting at least this long, ms. */
  stopMinMs: number;
  /** Fixes reporting a worse accuracy than this are set aside by the figures, metres. */
  maxAccuracyM: number;
}

export const DEFAULT_TRACK_SETTINGS: Readonly<TrackSettings> = {
  gapMs: 5 * 60_000,
  // 250 km/h: faster than any member on the road, slower than the jumps a bad fix makes.
  maxSpeedMps: 70,
  stopRadiusM: 50,
  stopMinMs: 3 * 60_000,
  maxAccuracyM: 100,
};

/** Bounds a setting may take; a value outside is clamped, a missing or non-numeric one takes the default. */
export const TRACK_SETTING_LIMITS: Readonly<Record<keyof TrackSettings, readonly [number, number]>> = {
  gapMs: [30_000, 24 * 3_600_000],
  maxSpeedMps: [5, 350],
  stopRadiusM: [5, 1_000],
  stopMinMs: [30_000, 6 * 3_600_000],
  maxAccuracyM: [5, 10_000],
};

export function normalizeTrackSettings(
  given: Partial<Record<keyof TrackSettings, unknown>> = {},
): TrackSettings {
  const out = { ...DEFAULT_TRACK_SETTINGS };
  for (const key of Object.keys(TRACK_SETTING_LIMITS) as (keyof TrackSettings)[]) {
    const value = given[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const [min, max] = TRACK_SETTING_LIMITS[key];
    out[key] = Math.min(max, Math.max(min, value));
  }
  return out;
}
