/**
 * One circle marker per watched member at its latest fix. Renders nothing: one effect adds the layer group, another
 * listens to the live store, which calls once per animation frame with the members that moved.
 */
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { LiveStore } from '../live/live-store.js';
import { createProjector } from './project.js';
import { useMemberLayers } from './use-member-layers.js';

export function markerClassName(uid: string): string {
  return `live-marker live-marker-${uid.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function LiveMarkersLayer({
  store,
  members,
  basemapCrs,
}: {
  store: LiveStore;
  members: readonly WatchedMember[];
  basemapCrs: Crs;
}) {
  const { map, groupRef, layers: markers } = useMemberLayers<L.CircleMarker>();
  const fitted = useRef(false);

  useEffect(() => {
    const group = groupRef.current;
    if (!group) return;
    const byUid = new Map(members.map((m) => [m.uid, m]));
    const project = createProjector(basemapCrs);

    const draw = (uid: string): void => {
      const member = byUid.get(uid);
      const fix = store.latest(uid);
      const marker = markers.current.get(uid);
      if (!member || !fix) {
        if (marker) {
          group.removeLayer(marker);
          markers.current.delete(uid);
        }
        return;
      }
      const at = project(fix);
      if (marker) {
        marker.setLatLng(at);
        return;
      }
      const created = L.circleMarker(at, {
        radius: 7,
        color: '#ffffff',
        weight: 2,
        fillColor: member.color,
        fillOpacity: 0.95,
        className: markerClassName(uid),
      }).bindTooltip(member.label || uid, { direction: 'top', offset: [0, -8] });
      created.addTo(group);
      markers.current.set(uid, created);
    };

    // Members or the basemap changed: restyle and reposition everything once.
    for (const [uid, marker] of markers.current) {
      const member = byUid.get(uid);
      if (member) {
        marker.setStyle({ fillColor: member.color });
        marker.setTooltipContent(member.label || uid);
      }
    }
    for (const uid of new Set([...markers.current.keys(), ...store.uids()])) draw(uid);

    const fitOnce = (): void => {
      if (fitted.current || markers.current.size === 0) return;
      fitted.current = true;
      const bounds = L.latLngBounds([...markers.current.values()].map((m) => m.getLatLng()));
      map.fitBounds(bounds.pad(0.2), { maxZoom: 15, animate: false });
    };
    fitOnce();
    return store.subscribe((changed) => {
      for (const uid of changed) draw(uid);
      fitOnce();
    });
  }, [map, store, members, basemapCrs]);

  return null;
}
