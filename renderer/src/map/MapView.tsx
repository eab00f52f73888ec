/**
 * The map: Leaflet via react-leaflet, an optional tile layer, and the layers the page composes as children.
 * Without a tile URL there is no basemap, and tracks are still drawn (dispatchers review offline).
 */
import type { ReactNode } from 'react';
import { MapContainer, TileLayer } from 'react-leaflet';
import { useI18n } from '../i18n/I18nProvider.js';

/** Central Beijing: where a fresh station opens before any member has a position. */
const INITIAL_CENTER: [number, number] = [39.9087, 116.3975];

export function MapView({ tileUrl, children }: { tileUrl: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="map-wrap">
      <MapContainer center={INITIAL_CENTER} zoom={11} className="map" zoomControl>
        {tileUrl ? <TileLayer url={tileUrl} maxZoom={19} /> : null}
        {children}
      </MapContainer>
      {tileUrl ? null : <div className="map-note">{t('map.noTiles')}</div>}
    </div>
  );
}
