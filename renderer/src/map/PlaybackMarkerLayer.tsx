/** The moving marker of playback: follows the playback controller every frame, outside React rendering. */
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useMap } from 'react-leaflet';
import type { TrackColumns } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { PlaybackController } from '../history/playback-controller.js';
import { pointAt } from '../history/track-sample.js';
import { toBasemap } from './project.js';

export function PlaybackMarkerLayer({
  track,
  controller,
  color,
  basemapCrs,
}: {
  track: TrackColumns | undefined;
  controller: PlaybackController;
  color: string;
  basemapCrs: Crs;
}) {
  const map = useMap();
  const markerRef = useRef<L.CircleMarker | null>(null);

  useEffect(() => {
    const marker = L.circleMarker([0, 0], {
      radius: 9,
      color: '#111111',
      weight: 3,
      fillOpacity: 1,
      className: 'playback-marker',
    });
    markerRef.current = marker;
    return () => {
      marker.remove();
      markerRef.current = null;
    };
  }, [map]);

  useEffect(() => {
    const marker = markerRef.current;
    if (!marker) return;
    marker.setStyle({ fillColor: color });
    if (!track || track.count === 0) {
      marker.remove();
      return;
    }
    marker.addTo(map);
    return controller.subscribe(({ time }) => {
      const p = pointAt(track, time);
      if (p) marker.setLatLng(toBasemap(p.lat, p.lon, p.crs, basemapCrs));
    });
  }, [map, track, controller, color, basemapCrs]);

  return null;
}
