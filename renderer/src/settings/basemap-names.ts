/** The dispatcher's name for each basemap choice, as message keys (one table, used by the picker and settings). */
import type { BasemapPresetId } from '../../../contract/basemaps/presets.js';
import type { MessageKey } from '../i18n/translate.js';

export const PRESET_NAME: Record<BasemapPresetId, MessageKey> = {
  'gaode-roads': 'basemap.gaodeRoads',
  'gaode-satellite': 'basemap.gaodeSatellite',
  'tianditu-vector': 'basemap.tiandituVector',
  'tianditu-imagery': 'basemap.tiandituImagery',
  osm: 'basemap.osm',
};
