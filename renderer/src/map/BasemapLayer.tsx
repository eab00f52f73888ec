/**
 * The basemap's tile layers (the base, then labels), its attribution and a metric scale bar. Tile load and error
 * events feed the tile-health reducer; a source that is down is retried quietly with a growing delay, and the
 * banner (TileHealthBanner) says which host fails since when. A new basemap starts with a clean health record.
 */
import L from 'leaflet';
import { useEffect, useReducer } from 'react';
import { createPortal } from 'react-dom';
import { useMap } from 'react-leaflet';
import type { ActiveBasemap } from '../../../contract/basemaps/active.js';
import { downSources, retryDelayMs, tileHealthReducer } from './tile-health.js';
import { TileHealthBanner } from './TileHealthBanner.js';

export function BasemapLayer({ basemap }: { basemap: ActiveBasemap | undefined }) {
  const map = useMap();
  const [health, dispatch] = useReducer(tileHealthReducer, {});
  const down = downSources(health);

  useEffect(() => {
    const scale = L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);
    return () => {
      scale.remove();
    };
  }, [map]);

  const layersKey = basemap ? JSON.stringify(basemap.layers) : '';
  useEffect(() => {
    dispatch({ type: 'reset' });
    if (!basemap) return;
    const layers = basemap.layers.map((spec, index) => {
      const layer = L.tileLayer(spec.url, {
        subdomains: spec.subdomains || 'abc',
        minZoom: basemap.minZoom,
        maxZoom: basemap.maxZoom,
        // The attribution goes once, on the base layer; labels belong to the same provider.
        ...(index === 0 ? { attribution: escapeHtml(basemap.attribution) } : {}),
        className: `basemap-tiles basemap-layer-${index}`,
        zIndex: index,
        // Below a file's shallowest zoom the layer shows nothing (scaling its tiles down would ask for
        // thousands); past its deepest, Leaflet scales those up.
        ...(basemap.nativeZoom
          ? { minZoom: basemap.nativeZoom.min, maxNativeZoom: basemap.nativeZoom.max }
          : {}),
        ...(basemap.bounds ? { bounds: boundsOf(basemap.bounds) } : {}),
      });
      layer.on('tileload', () => dispatch({ type: 'load', source: spec.source, at: Date.now() }));
      layer.on('tileerror', () => dispatch({ type: 'error', source: spec.source, at: Date.now() }));
      return { layer, spec };
    });
    for (const { layer } of layers) layer.addTo(map);
    map.setMaxZoom(basemap.maxZoom);
    return () => {
      for (const { layer } of layers) layer.remove();
    };
    // layersKey stands for the layers: a settings reload with the same tiles must not reload every tile.
  }, [map, layersKey, basemap?.attribution, basemap?.maxZoom]);

  const retrySource = down[0]?.source;
  const retries = down[0]?.retries ?? 0;
  useEffect(() => {
    if (!retrySource) return;
    const timer = setTimeout(() => {
      dispatch({ type: 'retry', source: retrySource });
      map.eachLayer((layer) => {
        if (layer instanceof L.TileLayer) layer.redraw();
      });
    }, retryDelayMs(retries));
    return () => clearTimeout(timer);
  }, [map, retrySource, retries]);

  return down.length > 0 ? createPortal(<TileHealthBanner down={down} />, map.getContainer()) : null;
}

function boundsOf([west, south, east, north]: [number, number, number, number]): L.LatLngBounds {
  return L.latLngBounds([south, west], [north, east]);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
