/**
 * The map: Leaflet via react-leaflet, the basemap (tiles, attribution, scale bar, tile health), and the layers the
 * page composes as children. Without tiles, tracks are still drawn (dispatchers review offline).
 */
import { useEffect, useState, type ReactNode } from 'react';
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
  /** Shown over the map (the first run's basemap question) instead of the "no basemap" strip. */
  overlay?: ReactNode;
  children: ReactNode;
}) {
  const [noteDismissed, setNoteDismissed] = useState(readNoteDismissed);
  const showNote = !overlay && !basemap && !noteDismissed;
  return (
    // The note is a strip above the map, not over it: over the map it covered the tracks in a 1024 px window.
    <div className={showNote ? 'map-wrap with-note' : 'map-wrap'}>
      {showNote ? (
        <NoTilesNote
          onDismiss={() => {
            setNoteDismissed(true);
            writeNoteDismissed();
          }}
        />
      ) : null}
      <MapContainer center={INITIAL_CENTER} zoom={11} className="map" zoomControl>
        <BasemapLayer basemap={basemap} />
        <FollowContainerSize />
        {children}
      </MapContainer>
      {overlay}
    </div>
  );
}

/** Dismissed for the rest of the session (this tab, across reloads): Settings says which basemap is in use. */
const NOTE_DISMISSED_KEY = 'lodestar.noTilesNoteDismissed';

function readNoteDismissed(): boolean {
  try {
    return sessionStorage.getItem(NOTE_DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeNoteDismissed(): void {
  try {
    sessionStorage.setItem(NOTE_DISMISSED_KEY, '1');
  } catch {
    // Storage refused (private mode): dismissed until the page reloads.
  }
}

function NoTilesNote({ onDismiss }: { onDismiss: () => void }) {
  const { t } = useI18n();
  return (
    <div className="map-note" role="status">
      <span className="map-note-text" title={t('map.noTiles')}>
        {t('map.noTiles')}
      </span>
      <button
        type="button"
        className="map-note-close"
        aria-label={t('map.noTilesDismiss')}
        title={t('map.noTilesDismiss')}
        onClick={onDismiss}
      >
        ×
      </button>
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
