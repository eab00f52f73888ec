/**
 * Every selected member's history on one canvas: segments as lines in the member's colour, gaps not drawn or
 * faint and dashed (a setting), stops as numbered markers (merged where they would overlap, a click on one moves
 * the timeline to it); a second canvas above holds the playback markers,
 * redrawn every frame without touching the tracks. Fixes are projected once per load (track-pixels.ts), so a pan
 * or zoom only rescales them.
 */
import L from 'leaflet';
import { useEffect, useMemo, useRef } from 'react';
import { useMap } from 'react-leaflet';
import type { Crs } from '../../../protocol/fix-limits.js';
import { playbackAt } from '../../../contract/track/sample.js';
import type { GapStyle, HistoryMember } from '../history/history-types.js';
import { markAfterNextPaint } from '../history/after-paint.js';
import type { PlaybackController } from '../history/playback-controller.js';
import { crsOfIndex, toBasemap } from './project.js';
import { outsideView, revealIndex } from './reveal.js';
import { STOP_LABEL_FONT } from './stop-label.js';
import { markerAt, type StopMarker, stopMarkers } from './stop-markers.js';
import { followPan } from './follow-pan.js';
import { useI18n } from '../i18n/I18nProvider.js';
import { simplifyRange, toWorld, worldTrackOf, type PixelView, type WorldTrack } from './track-pixels.js';

interface Drawn {
  member: HistoryMember;
  /** Every fix once the columns arrived, else the station's outline; `segments` index into the same points. */
  world: WorldTrack;
  segments: readonly { start: number; end: number }[];
  stops: [number, number][];
}

function viewOf(map: L.Map, canvas: HTMLCanvasElement): PixelView {
  const size = map.getSize();
  const topLeft = map.containerPointToLayerPoint([0, 0]);
  L.DomUtil.setPosition(canvas, topLeft);
  const ratio = window.devicePixelRatio || 1;
  // Grown, never shrunk (the map's container clips the rest): the timeline coming with each loaded period and
  // going at the next Load resizes the map, and every resize of a canvas reallocates it, ~20 ms at the first
  // load's frame in a profile (docs/benchmarks.md, "History").
  const sameRatio = canvas.style.width === `${canvas.width / ratio}px`;
  if (!sameRatio || canvas.width < size.x * ratio || canvas.height < size.y * ratio) {
    canvas.width = sameRatio ? Math.max(canvas.width, size.x * ratio) : size.x * ratio;
    canvas.height = sameRatio ? Math.max(canvas.height, size.y * ratio) : size.y * ratio;
    canvas.style.width = `${canvas.width / ratio}px`;
    canvas.style.height = `${canvas.height / ratio}px`;
  }
  const origin = map.getPixelOrigin();
  return { scale: 256 * 2 ** map.getZoom(), originX: origin.x + topLeft.x, originY: origin.y + topLeft.y };
}

/** A drawn stop marker and what a click on it picks: the first of its stops, for its member. */
export interface StopHit extends StopMarker {
  uid: string;
  fromTs: number;
}

/** Draws every member's track and its stop markers; returns the markers drawn, for clicks on them. */
function drawTracks(
  ctx: CanvasRenderingContext2D,
  view: PixelView,
  drawn: readonly Drawn[],
  gapStyle: GapStyle,
): StopHit[] {
  let scratch = new Uint32Array(0);
  const hits: StopHit[] = [];
  for (const { member, world, segments, stops } of drawn) {
    ctx.strokeStyle = member.color;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    if (gapStyle === 'dashed' && segments.length > 1) {
      ctx.save();
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 6]);
      ctx.beginPath();
      for (let k = 1; k < segments.length; k++) {
        const a = segments[k - 1]!.end - 1;
        const b = segments[k]!.start;
        ctx.moveTo(world.x[a]! * view.scale - view.originX, world.y[a]! * view.scale - view.originY);
        ctx.lineTo(world.x[b]! * view.scale - view.originX, world.y[b]! * view.scale - view.originY);
      }
      ctx.stroke();
      ctx.restore();
    }
    ctx.lineWidth = 3;
    ctx.globalAlpha = 0.9;
    ctx.beginPath();
    for (const segment of segments) {
      if (scratch.length < segment.end - segment.start)
        scratch = new Uint32Array(segment.end - segment.start);
      const n = simplifyRange(world, segment.start, segment.end, view, 1.5, scratch);
      for (let k = 0; k < n; k++) {
        const i = scratch[k]!;
        const x = world.x[i]! * view.scale - view.originX;
        const y = world.y[i]! * view.scale - view.originY;
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      // A one-fix segment is a dot, not nothing.
      if (n === 1)
        ctx.lineTo(
          world.x[segment.start]! * view.scale - view.originX + 0.1,
          world.y[segment.start]! * view.scale - view.originY,
        );
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.font = STOP_LABEL_FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    // Stops whose numbers would overlap at this zoom are one marker naming them all ("3–5").
    const markers = stopMarkers(
      stops.map(([wx, wy]) => ({ x: wx * view.scale - view.originX, y: wy * view.scale - view.originY })),
      (text) => ctx.measureText(text).width,
    );
    for (const marker of markers) {
      const { x, y, width, height } = marker;
      ctx.beginPath();
      if (width <= height) ctx.arc(x, y, height / 2, 0, Math.PI * 2);
      else ctx.roundRect(x - width / 2, y - height / 2, width, height, height / 2);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 2.5;
      ctx.stroke();
      ctx.fillStyle = '#111111';
      ctx.fillText(marker.label, x, y + 0.5);
      hits.push({ ...marker, uid: member.uid, fromTs: member.analysis.stops[marker.stops[0]!]!.fromTs });
    }
  }
  return hits;
}

export function HistoryCanvasLayer({
  members,
  loadId,
  controller,
  basemapCrs,
  gapStyle,
}: {
  members: readonly HistoryMember[];
  /** Changes with each loaded period: the map fits it once (not again when the columns replace the outline). */
  loadId: number;
  controller: PlaybackController;
  basemapCrs: Crs;
  gapStyle: GapStyle;
}) {
  const map = useMap();
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const drawn = useMemo<Drawn[]>(
    () =>
      members.map((member) => ({
        member,
        world: worldTrackOf(member.track ?? member.outline, basemapCrs),
        segments: member.track ? member.analysis.segments : member.outline.segments,
        stops: member.analysis.stops.map((s) => {
          const [lat, lon] = toBasemap(s.lat, s.lon, crsOfIndex(s.crs), basemapCrs);
          return toWorld(lat, lon);
        }),
      })),
    [members, basemapCrs],
  );
  const state = useRef({ drawn, gapStyle, loadId, marked: -1, fitting: false });
  state.current = { ...state.current, drawn, gapStyle, loadId };
  const redrawRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    const pane = map.getPanes().overlayPane;
    const tracks = L.DomUtil.create('canvas', 'history-canvas leaflet-zoom-hide', pane);
    const markers = L.DomUtil.create('canvas', 'history-canvas history-markers leaflet-zoom-hide', pane);
    let time = controller.snapshot().time;
    // Where each playback marker was last drawn, in container pixels: what following keeps in view.
    const drawnAt = new Map<string, { x: number; y: number }>();
    const drawMarkers = (): void => {
      drawnAt.clear();
      const view = viewOf(map, markers);
      const ctx = markers.getContext('2d');
      if (!ctx) return;
      const ratio = window.devicePixelRatio || 1;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, markers.width, markers.height);
      for (const { member } of state.current.drawn) {
        // Markers only from every fix: the outline has not the fix a marker would stand on.
        if (!member.track) continue;
        const at = playbackAt(member.track, member.analysis.segments, time);
        if (at.kind !== 'fix') continue;
        const [lat, lon] = toBasemap(at.lat, at.lon, crsOfIndex(at.crs), basemapCrs);
        const [wx, wy] = toWorld(lat, lon);
        const x = wx * view.scale - view.originX;
        const y = wy * view.scale - view.originY;
        drawnAt.set(member.uid, { x, y });
        ctx.beginPath();
        ctx.arc(x, y, 8, 0, Math.PI * 2);
        ctx.fillStyle = member.color;
        ctx.fill();
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#111111';
        ctx.stroke();
      }
    };
    let last: { key: string; drawn: Drawn[]; gapStyle: GapStyle } | undefined;
    // The stop markers as last drawn, in container pixels: a click on one moves the timeline to its (first) stop.
    let hits: StopHit[] = [];
    const container = map.getContainer();
    const onClick = (e: L.LeafletMouseEvent): void => {
      const hit = markerAt(hits, e.containerPoint.x, e.containerPoint.y);
      if (hit) controller.show(hit.uid, hit.fromTs);
    };
    let hovered: StopHit | undefined;
    const onMove = (e: L.LeafletMouseEvent): void => {
      const hit = markerAt(hits, e.containerPoint.x, e.containerPoint.y);
      if (hit === hovered) return;
      hovered = hit;
      container.style.cursor = hit ? 'pointer' : '';
      if (!hit) container.removeAttribute('title');
      else
        container.title = tRef.current(hit.stops.length > 1 ? 'map.stopMarkers' : 'map.stopMarker', {
          stops: hit.label,
          first: hit.stops[0]! + 1,
        });
    };
    map.on('click', onClick);
    map.on('mousemove', onMove);
    // For the e2e tests: the stop markers are pixels on a canvas, with no DOM to ask where they are.
    const probeHolder = window as unknown as { lodestarHistoryProbe?: unknown };
    const probe = Object.freeze({
      stopMarkers: () =>
        hits.map(({ uid, label, x, y, width, height }) => ({ uid, label, x, y, width, height })),
      playbackMarker: (uid: string) => drawnAt.get(uid),
    });
    probeHolder.lodestarHistoryProbe = probe;
    const redraw = (): void => {
      // Fitting a period moves the map several times (resize, viewreset, zoomend, moveend): it draws once, after.
      if (state.current.fitting) return;
      const view = viewOf(map, tracks);
      const { drawn, gapStyle } = state.current;
      // Nothing to draw again when neither the view nor the tracks changed (the fit's events, then the effect).
      const key = `${view.scale} ${view.originX} ${view.originY} ${tracks.width} ${tracks.height}`;
      if (last && last.key === key && last.drawn === drawn && last.gapStyle === gapStyle) return;
      last = { key, drawn, gapStyle };
      const ctx = tracks.getContext('2d');
      if (!ctx) return;
      const ratio = window.devicePixelRatio || 1;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, tracks.width, tracks.height);
      hits = drawTracks(ctx, view, drawn, gapStyle);
      drawMarkers();
      // The benchmark measures from the panel's `history:choose` mark to the first draw of a loaded period, and to
      // the frame that shows it.
      if (state.current.drawn.length > 0 && state.current.marked !== state.current.loadId) {
        state.current.marked = state.current.loadId;
        performance.mark('history:drawn');
        markAfterNextPaint('history:shown');
      }
    };
    redrawRef.current = redraw;
    map.on('moveend zoomend resize viewreset', redraw);
    // Following a member: its marker leaving the middle of the view pans the map to centre it again.
    const keepFollowedInView = (uid: string | undefined): void => {
      const at = uid === undefined ? undefined : drawnAt.get(uid);
      if (!at) return;
      const size = map.getSize();
      const pan = followPan(at.x, at.y, size.x, size.y);
      // Not animated: playback moves the marker on meanwhile, and the moveend redraws the tracks once.
      if (pan) map.panBy([pan.dx, pan.dy], { animate: false });
    };
    const unsubscribe = controller.subscribe((snapshot) => {
      time = snapshot.time;
      drawMarkers();
      keepFollowedInView(snapshot.followed);
    });
    // A pan by hand (drag, or the arrow keys on the focused map) stops following: the dispatcher looks elsewhere.
    const stopFollowing = (): void => controller.follow(undefined);
    const onKey = (e: KeyboardEvent): void => {
      if (e.key.startsWith('Arrow')) stopFollowing();
    };
    map.on('dragstart', stopFollowing);
    container.addEventListener('keydown', onKey);
    // A picked stop or gap off the visible map: pan to it, at the same zoom (the moveend redraws the tracks).
    const unshow = controller.onShow((uid, at) => {
      const found = state.current.drawn.find((d) => d.member.uid === uid);
      // Only from every fix: the outline has no times to find the picked one by.
      const track = found?.member.track;
      if (!found || !track) return;
      const i = revealIndex(track.ts, track.count, at);
      if (i < 0) return;
      const zoom = map.getZoom();
      const scale = 256 * 2 ** zoom;
      const point = L.point(found.world.x[i]! * scale, found.world.y[i]! * scale);
      const inContainer = map.layerPointToContainerPoint(point.subtract(map.getPixelOrigin()));
      const size = map.getSize();
      if (!outsideView(inContainer.x, inContainer.y, size.x, size.y)) return;
      map.panTo(map.unproject(point, zoom), { animate: false });
    });
    redraw();
    return () => {
      map.off('dragstart', stopFollowing);
      container.removeEventListener('keydown', onKey);
      map.off('click', onClick);
      map.off('mousemove', onMove);
      container.style.cursor = '';
      container.removeAttribute('title');
      // Not kept past the layer: it holds the layer's drawn markers.
      if (probeHolder.lodestarHistoryProbe === probe) delete probeHolder.lodestarHistoryProbe;
      unshow();
      unsubscribe();
      map.off('moveend zoomend resize viewreset', redraw);
      tracks.remove();
      markers.remove();
    };
  }, [map, controller, basemapCrs]);

  // A newly loaded period is fitted into view once, by its outline (every fix that shapes the track).
  const fitted = useRef(-1);
  useEffect(() => {
    if (fitted.current === loadId || members.length === 0) return;
    fitted.current = loadId;
    let bounds: L.LatLngBounds | undefined;
    for (const { outline: t } of members) {
      for (let i = 0; i < t.count; i += Math.max(1, Math.floor(t.count / 2000))) {
        const [lat, lon] = toBasemap(t.lat[i]!, t.lon[i]!, crsOfIndex(t.crs[i]), basemapCrs);
        bounds = bounds ? bounds.extend([lat, lon]) : L.latLngBounds([lat, lon], [lat, lon]);
      }
    }
    if (!bounds) return;
    // The timeline under the map appears with the first loaded period, in this same commit: Leaflet still holds the
    // map's old (taller) size, so without re-measuring, the fit would put tracks under the timeline.
    state.current.fitting = true;
    try {
      map.invalidateSize({ animate: false });
      map.fitBounds(bounds.pad(0.1), { maxZoom: 16, animate: false });
    } finally {
      state.current.fitting = false;
    }
    // The first draw of a new period is at its fitted view (the effect below then finds nothing changed).
    redrawRef.current();
  }, [map, members, loadId, basemapCrs]);

  // After the fit above: a new period is drawn once, at its fitted view, not first at the old one nobody sees.
  useEffect(() => {
    redrawRef.current();
  }, [drawn, gapStyle]);

  return null;
}
