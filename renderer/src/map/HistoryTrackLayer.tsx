/** The loaded history track as one polyline, fitted into view when a new track arrives. */
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useMap } from 'react-leaflet';
import type { TrackColumns } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import { crsOfIndex, toBasemap, type LatLngTuple } from './project.js';

export function trackLatLngs(track: TrackColumns, basemapCrs: Crs): LatLngTuple[] {
  const out: LatLngTuple[] = new Array(track.count);
  for (let i = 0; i < track.count; i++) {
    out[i] = toBasemap(track.lat[i] as number, track.lon[i] as number, crsOfIndex(track.crs[i]), basemapCrs);
  }
  return out;
}

export function HistoryTrackLayer({
  track,
  color,
  basemapCrs,
}: {
  track: TrackColumns | undefined;
  color: string;
  basemapCrs: Crs;
}) {
  const map = useMap();
  const lineRef = useRef<L.Polyline | null>(null);

  useEffect(() => {
    const line = L.polyline([], { weight: 4, opacity: 0.85, className: 'history-track' }).addTo(map);
    lineRef.current = line;
    return () => {
      line.remove();
      lineRef.current = null;
    };
  }, [map]);

  useEffect(() => {
    const line = lineRef.current;
    if (!line) return;
    const latLngs = track ? trackLatLngs(track, basemapCrs) : [];
    line.setLatLngs(latLngs);
    line.setStyle({ color });
    if (latLngs.length > 0) map.fitBounds(line.getBounds().pad(0.1), { maxZoom: 16, animate: false });
  }, [map, track, color, basemapCrs]);

  return null;
}
