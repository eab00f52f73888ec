/**
 * A layer group on the map for the life of a map layer component, and that component's Leaflet layers by member
 * uid, cleared with the group. Declare it before the component's own effects: they read `groupRef` in order.
 */
import L from 'leaflet';
import { useEffect, useRef, type MutableRefObject } from 'react';
import { useMap } from 'react-leaflet';

export function useMemberLayers<T extends L.Layer>(): {
  map: L.Map;
  groupRef: MutableRefObject<L.LayerGroup | null>;
  layers: MutableRefObject<Map<string, T>>;
} {
  const map = useMap();
  const groupRef = useRef<L.LayerGroup | null>(null);
  const layers = useRef(new Map<string, T>());
  useEffect(() => {
    const group = L.layerGroup().addTo(map);
    groupRef.current = group;
    const byUid = layers.current;
    return () => {
      group.remove();
      byUid.clear();
      groupRef.current = null;
    };
  }, [map]);
  return { map, groupRef, layers };
}
