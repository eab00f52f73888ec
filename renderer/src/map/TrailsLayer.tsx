/** The recent trail of each watched member, from the live store's capped trails, redrawn once per frame. */
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { WatchedMember } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { LiveStore } from '../live/live-store.js';
import { createProjector } from './project.js';
import { useMemberLayers } from './use-member-layers.js';

export function TrailsLayer({
  store,
  members,
  basemapCrs,
}: {
  store: LiveStore;
  members: readonly WatchedMember[];
  basemapCrs: Crs;
}) {
  const { map, groupRef, layers: lines } = useMemberLayers<L.Polyline>();
  // Hundreds of trails changing every second: one canvas redraw per frame is far cheaper than as many SVG paths.
  const renderer = useRef(L.canvas({ padding: 0.2 }));
  useEffect(() => {
    const canvas = renderer.current;
    return () => {
      canvas.remove();
    };
  }, [map]);

  useEffect(() => {
    const group = groupRef.current;
    if (!group) return;
    const byUid = new Map(members.map((m) => [m.uid, m]));
    const project = createProjector(basemapCrs);
    const draw = (uid: string): void => {
      const member = byUid.get(uid);
      const points = member ? store.trail(uid) : [];
      let line = lines.current.get(uid);
      if (points.length < 2 || !member) {
        if (line) {
          group.removeLayer(line);
          lines.current.delete(uid);
        }
        return;
      }
      const latLngs = points.map(project);
      if (!line) {
        line = L.polyline(latLngs, {
          color: member.color,
          weight: 3,
          opacity: 0.6,
          interactive: false,
          renderer: renderer.current,
        });
        line.addTo(group);
        lines.current.set(uid, line);
      } else {
        line.setStyle({ color: member.color });
        line.setLatLngs(latLngs);
      }
    };
    for (const uid of new Set([...lines.current.keys(), ...store.uids()])) draw(uid);
    return store.subscribe((changed) => {
      for (const uid of changed) draw(uid);
    });
  }, [map, store, members, basemapCrs]);

  return null;
}
