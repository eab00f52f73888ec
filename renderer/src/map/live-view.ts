/**
 * The live map's state that outlives a tab switch: the marker and trail canvases (fed by the live store and the
 * state tracker whether or not the live tab shows), the selected and followed member, and what lies outside the
 * view. The live tab attaches it to the map and detaches it when history shows, so coming back redraws from
 * what is already converted instead of rebuilding 5,000 members.
 */
import L from 'leaflet';
import type { WatchedMember } from '../../../contract/station-api.js';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { LiveStore } from '../live/live-store.js';
import type { MemberStateTracker } from '../live/state-tracker.js';
import { edgeOf, type EdgeCounts } from './edge-of.js';
import { followZoom } from './follow-zoom.js';
import { MarkerCanvasLayer } from './marker-canvas-layer.js';
import { TrailCanvasLayer } from './trail-canvas-layer.js';

export type { EdgeCounts };

export const TRAILS_PANE = 'lodestar-trails';
export const MARKERS_PANE = 'lodestar-markers';

export interface ViewSnapshot {
  selected: string | undefined;
  followed: string | undefined;
  edges: EdgeCounts;
  /** Bumped whenever the view moved or members moved, for lists that show "outside the view". */
  version: number;
}

export class LiveView {
  readonly markers: MarkerCanvasLayer;
  readonly trails: TrailCanvasLayer;
  private map: L.Map | undefined;
  private members: readonly WatchedMember[] = [];
  private basemapCrs: Crs | undefined;
  private snapshot: ViewSnapshot = {
    selected: undefined,
    followed: undefined,
    edges: { north: 0, east: 0, south: 0, west: 0 },
    version: 0,
  };
  private readonly listeners = new Set<() => void>();
  private readonly offs: (() => void)[] = [];
  private fitted = false;
  /** The live tab shows (attached): only then may live fixes move the map. */
  private shown = false;
  /** Where the live map stood when the history tab took it over; restored when the live tab shows again. */
  private leftView: { centre: L.LatLng; zoom: number } | undefined;
  private edgeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: LiveStore,
    private readonly tracker: MemberStateTracker,
  ) {
    this.markers = new MarkerCanvasLayer(
      { latest: (uid) => store.latest(uid), state: (uid) => tracker.state(uid) },
      MARKERS_PANE,
    );
    this.trails = new TrailCanvasLayer(store, TRAILS_PANE);
  }

  /** Start following the store and the tracker; stop() undoes it (effects may run twice). */
  start(): void {
    if (this.offs.length > 0) return;
    this.offs.push(
      this.store.subscribe((changed) => {
        this.markers.moved(changed);
        this.trails.moved(changed);
        // The map is the history tab's too while it shows: a live fix must not pan it away from the period
        // under review. Following resumes when the live tab shows again (attach).
        if (this.shown) {
          const followed = this.snapshot.followed;
          if (followed && changed.has(followed)) this.centre(followed, false);
          if (!this.fitted) this.fitAll(true);
        }
        this.scheduleEdges();
      }),
      this.tracker.subscribe((changed) => this.markers.restyled(changed)),
    );
  }

  stop(): void {
    this.remove();
    for (const off of this.offs.splice(0)) off();
    clearTimeout(this.edgeTimer);
    this.edgeTimer = undefined;
  }

  setMembers(members: readonly WatchedMember[], basemapCrs: Crs): void {
    // The live tab hands the same list again each time it is shown: rebuilding the layers would redraw every
    // marker and trail (5,000 members: most of the switch back to live).
    if (members === this.members && basemapCrs === this.basemapCrs) return;
    this.basemapCrs = basemapCrs;
    this.members = members;
    this.markers.setMembers(members, basemapCrs);
    this.trails.setMembers(members, basemapCrs);
    const uids = new Set(members.map((m) => m.uid));
    const { selected, followed } = this.snapshot;
    if ((selected && !uids.has(selected)) || (followed && !uids.has(followed))) {
      this.update({
        selected: selected && uids.has(selected) ? selected : undefined,
        followed: followed && uids.has(followed) ? followed : undefined,
      });
    }
    this.scheduleEdges();
  }

  /**
   * Show the live layers on the map. The first call adds them; later ones (coming back from the history tab) only
   * show their panes again: the canvases kept drawing what moved while hidden, so there is nothing to rebuild.
   */
  attach(map: L.Map): void {
    if (this.map && this.map !== map) this.remove();
    if (!this.map) {
      this.map = map;
      for (const [name, z] of [
        [TRAILS_PANE, '390'],
        [MARKERS_PANE, '450'],
      ] as const) {
        const pane = map.getPane(name) ?? map.createPane(name);
        pane.style.zIndex = z;
        pane.style.pointerEvents = 'none';
      }
      this.trails.addTo(map);
      this.markers.addTo(map);
      map.on('moveend', this.onMoveEnd);
    }
    this.setPanesShown(true);
    const followed = this.snapshot.followed;
    const left = this.leftView;
    this.leftView = undefined;
    if (!this.fitted) this.fitAll(true);
    else if (left) {
      // The history tab moved the shared map to its period: back on live, the view the dispatcher left, or the
      // followed member where it is now at the zoom it was followed at.
      const at = followed ? this.markers.latLngOf(followed) : undefined;
      map.setView(at ?? left.centre, left.zoom, { animate: false });
    } else if (followed) this.centre(followed, false);
    this.computeEdges();
  }

  /** Hide the live layers (the history tab shows its own). */
  detach(): void {
    if (this.map && this.shown) this.leftView = { centre: this.map.getCenter(), zoom: this.map.getZoom() };
    this.setPanesShown(false);
  }

  private setPanesShown(shown: boolean): void {
    this.shown = shown;
    for (const name of [TRAILS_PANE, MARKERS_PANE]) {
      const pane = this.map?.getPane(name);
      if (pane) pane.style.display = shown ? '' : 'none';
    }
    this.trails.setShown(shown);
    this.markers.setShown(shown);
  }

  private remove(): void {
    const map = this.map;
    if (!map) return;
    map.off('moveend', this.onMoveEnd);
    map.removeLayer(this.markers);
    map.removeLayer(this.trails);
    this.map = undefined;
  }

  /** Bound, so it can be handed to useSyncExternalStore as is. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ViewSnapshot => this.snapshot;

  /** Select a member and (by default) centre it; the marker gets a highlight ring. */
  select(uid: string | undefined, centre = true): void {
    this.markers.setSelected(uid);
    this.update({ selected: uid });
    if (uid && centre) this.centre(uid, true);
  }

  /** Keep a member centred as its fixes arrive; undefined stops following. Dragging the map stops it too. */
  follow(uid: string | undefined): void {
    this.update({ followed: uid });
    if (!uid) return;
    this.select(uid, false);
    const at = this.markers.latLngOf(uid);
    const map = this.map;
    if (!at || !map) return;
    const go = (): void =>
      void map.setView(at, followZoom(map.getZoom(), map.getMaxZoom()), { animate: true });
    // Leaflet drops a setView asked for while a zoom animation runs (a click on Follow right after zooming out).
    if ((map as unknown as { _animatingZoom?: boolean })._animatingZoom) map.once('zoomend', go);
    else go();
  }

  /** The map's zoom level (for tests: following zooms in). */
  zoom(): number | undefined {
    return this.map?.getZoom();
  }

  centreOfMap(): { lat: number; lng: number } | undefined {
    const c = this.map?.getCenter();
    return c ? { lat: c.lat, lng: c.lng } : undefined;
  }

  fitAll(onlyIfNeverFitted = false): void {
    const map = this.map;
    if (!map) return;
    const points = this.markers.positions();
    if (points.length === 0) return;
    if (onlyIfNeverFitted && this.fitted) return;
    this.fitted = true;
    map.fitBounds(L.latLngBounds(points).pad(0.1), { maxZoom: 15, animate: false });
  }

  /** Whether the member's marker lies outside the visible map; undefined without a position or a map. */
  outside(uid: string): boolean | undefined {
    const at = this.markers.latLngOf(uid);
    if (!at || !this.map) return undefined;
    return !this.map.getBounds().contains(at);
  }

  /** Where a member is drawn, in map container pixels (for tests and the benchmark). */
  drawnAt(uid: string): { x: number; y: number; state: string } | undefined {
    return this.markers.drawnAt(uid);
  }

  hitTest(point: L.Point): string | undefined {
    return this.markers.hitTest(point);
  }

  latLngOf(uid: string): L.LatLng | undefined {
    return this.markers.latLngOf(uid);
  }

  memberList(): readonly WatchedMember[] {
    return this.members;
  }

  private centre(uid: string, animate: boolean): void {
    const at = this.markers.latLngOf(uid);
    if (!at || !this.map) return;
    this.map.panTo(at, { animate, duration: 0.25 });
  }

  private onMoveEnd = (): void => this.computeEdges();

  private scheduleEdges(): void {
    this.edgeTimer ??= setTimeout(() => {
      this.edgeTimer = undefined;
      this.computeEdges();
    }, 1000);
  }

  private computeEdges(): void {
    const map = this.map;
    if (!map) return;
    const b = map.getBounds();
    const bounds = { south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() };
    const edges: EdgeCounts = { north: 0, east: 0, south: 0, west: 0 };
    for (const m of this.members) {
      const at = this.markers.latLngOf(m.uid);
      if (!at) continue;
      const edge = edgeOf(at.lat, at.lng, bounds);
      if (edge) edges[edge]++;
    }
    this.update({ edges, version: this.snapshot.version + 1 });
  }

  private update(changes: Partial<ViewSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    for (const listener of this.listeners) listener();
  }
}
