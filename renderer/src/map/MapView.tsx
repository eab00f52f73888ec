/**
 * The map: Leaflet via react-leaflet, the basemap (tiles, attribution, scale bar, tile health), and the layers the
 * page composes as children. Without tiles, tracks are still drawn (dispatchers review offline).
 */
import { useEffect, type ReactNode } from 'react';
import { MapContainer, useMap } from 'react-leaflet';
import type { ActiveBasemap } from '../../../contract/basemaps/active.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { BasemapLayer } from './BasemapLayer.js';

/** Central Beijing: where a fresh station opens before any member has a position. */
const INITIAL_CENTER: [number, number] = [39.9087, 116.3975];

export function MapView({
  basemap,
  overlay,
  children,
}: {
  basemap: ActiveBasemap | undefined;
  /** Shown over the map (the first run's basemap question) instead of the "no basemap" note. */
  overlay?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="map-wrap">
      <MapContainer center={INITIAL_CENTER} zoom={11} className="map" zoomControl>
        <BasemapLayer basemap={basemap} />
        <FollowContainerSize />
        {children}
      </MapContainer>
      {overlay ?? (basemap ? null : <div className="map-note">{t('map.noTiles')}</div>)}
    </div>
  );
}

/** Leaflet only re-measures on window resizes; the history timeline coming and going resizes the map too. */
function FollowContainerSize(): null {
  const map = useMap();
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize({ animate: false }));
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  return null;
}
