/**
 * The track settings form's fields in the units the dispatcher types (minutes, metres), with the bounds taken from
 * the contract's limits so the form and the core agree on what a valid setting is.
 */
import { TRACK_SETTING_LIMITS, type TrackSettings } from '../../../contract/track/settings.js';

export type SettingField = 'gapMs' | 'stopRadiusM' | 'stopMinMs';

/** Contract unit per typed unit: minutes for the durations, metres for the radius. */
export const FIELD_SCALE: Readonly<Record<SettingField, number>> = {
  gapMs: 60_000,
  stopRadiusM: 1,
  stopMinMs: 60_000,
};

/** The allowed range in the typed unit. */
export function fieldRange(field: SettingField): [number, number] {
  const [min, max] = TRACK_SETTING_LIMITS[field];
  return [min / FIELD_SCALE[field], max / FIELD_SCALE[field]];
}

/** The setting's value (contract unit) for typed text, or undefined when it is empty, not a number or out of range. */
export function parseField(field: SettingField, text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const typed = Number(text);
  if (!Number.isFinite(typed)) return undefined;
  const [min, max] = fieldRange(field);
  if (typed < min || typed > max) return undefined;
  return typed * FIELD_SCALE[field];
}

/** The setting shown in the typed unit. */
export function fieldText(field: SettingField, settings: TrackSettings): string {
  return String(settings[field] / FIELD_SCALE[field]);
}
