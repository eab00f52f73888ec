/**
 * The recent trail of every watched member on one canvas. Each member keeps its trail as world pixels at the
 * current zoom, thinned on arrival (a point within MIN_STEP_PX of the last kept one is not kept), so 5,000
 * trails at their cap stay a few points per member at city zoom. New points are drawn as they arrive (only what
 * moved); a full redraw, which drops the tails past the live store's cap, runs in slices of a few milliseconds
 * per frame into a back canvas and is swapped in when complete, so it never stalls a frame.
 */
import L from 'leaflet';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { LiveStore } from '../live/live-store.js';
import { toBasemap } from './project.js';
import { appendThinned, mercatorPixel, trimBefore } from './trail-geometry.js';
import { HiddenViewGate } from './hidden-view-gate.js';

/** Screen distance under which a new trail point adds nothing visible. */
export const MIN_STEP_PX = 2;
/** A full redraw (to drop expired tails) at most this often while members move. */
const FULL_REDRAW_EVERY_MS = 15_000;
/** Time a full redraw may take per frame before it yields. */
const SLICE_BUDGET_MS = 4;
const PADDING = 0.1;
const LINE_WIDTH = 3;

interface Trail {
  color: string;
  /** Every trail point on the basemap (converted once, on arrival), oldest first, bounded by the store's cap. */
  lat: number[];
  lon: number[];
  ts: number[];
  /** Newest fix ts read from the store. */
  readTs: number;
  /** The zoom `xy` was computed at; NaN when it must be recomputed. */
  zoom: number;
  /** Thinned world pixels at `zoom`, x0 y0 x1 y1 …, oldest first, with their fix times. */
  xy: number[];
  xyTs: number[];
}

export class TrailCanvasLayer extends L.Layer {
  private front: HTMLCanvasElement | undefined;
  private back: HTMLCanvasElement | undefined;
  private readonly trails = new Map<string, Trail>();
  private basemapCrs: Crs = 'gcj02';
  private zoom = Number.NaN;
  private originX = 0;
  private originY = 0;
  private scale = 1;
  private frame = 0;
  private readonly view = new HiddenViewGate(() => this.reset());
  private readonly pendingAppends = new Map<string, number>();
  /** Members still to draw into the back canvas, when a full redraw is under way. */
  private rebuildQueue: string[] | undefined;
  private lastFullRedraw = 0;
  readonly counters = { fullRedraws: 0, appendedSegments: 0, points: 0 };

  constructor(
    private readonly store: LiveStore,
    private readonly paneName: string,
  ) {
    super();
  }

  override onAdd(map: L.Map): this {
    this.front = L.DomUtil.create('canvas', 'live-trails leaflet-zoom-hide');
    this.front.style.opacity = '0.6';
    this.back = document.createElement('canvas');
    map.getPane(this.paneName)?.appendChild(this.front);
    this.zoom = Number.NaN;
    this.reset();
    return this;
  }

  override onRemove(): this {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.front?.remove();
    this.front = this.back = undefined;
    return this;
  }

  override getEvents(): Record<string, L.LeafletEventHandlerFn> {
    const onView = this.view.onView;
    return { moveend: onView, zoomend: onView, resize: onView, viewreset: onView };
  }

  setShown(shown: boolean): void {
    this.view.setShown(shown);
  }

  setMembers(members: readonly { uid: string; color: string }[], basemapCrs: Crs): void {
    const crsChanged = basemapCrs !== this.basemapCrs;
    this.basemapCrs = basemapCrs;
    const keep = new Set(members.map((m) => m.uid));
    for (const uid of this.trails.keys()) if (!keep.has(uid)) this.trails.delete(uid);
    for (const m of members) {
      const trail = this.trails.get(m.uid);
      if (!trail || crsChanged) {
        this.trails.set(m.uid, {
          color: m.color,
          lat: [],
          lon: [],
          ts: [],
          readTs: -Infinity,
          zoom: Number.NaN,
          xy: [],
          xyTs: [],
        });
      } else trail.color = m.color;
    }
    for (const m of members) this.read(m.uid);
    this.startFullRedraw();
  }

  /** Members whose trail got new points. */
  moved(uids: Iterable<string>): void {
    for (const uid of uids) {
      const trail = this.trails.get(uid);
      if (!trail) continue;
      const from = Math.max(0, trail.xyTs.length - 1);
      this.read(uid);
      if (trail.zoom === this.zoom)
        this.pendingAppends.set(uid, Math.min(this.pendingAppends.get(uid) ?? from, from));
    }
    this.request();
  }

  /** Take the store's new trail points (converted to the basemap once) and drop those past its cap. */
  private read(uid: string): void {
    const trail = this.trails.get(uid);
    if (!trail) return;
    for (const fix of this.store.trailSince(uid, trail.readTs)) {
      const [lat, lon] =
        fix.crs === this.basemapCrs
          ? [fix.lat, fix.lon]
          : toBasemap(fix.lat, fix.lon, fix.crs, this.basemapCrs);
      trail.lat.push(lat);
      trail.lon.push(lon);
      trail.ts.push(fix.ts);
      trail.readTs = fix.ts;
      if (trail.zoom === this.zoom) {
        const [x, y] = mercatorPixel(lat, lon, this.zoom);
        appendThinned(trail.xy, trail.xyTs, x, y, fix.ts, MIN_STEP_PX);
      }
    }
    const oldest = this.store.trailOldestTs(uid);
    if (oldest !== undefined) {
      let drop = 0;
      while (drop < trail.ts.length && (trail.ts[drop] as number) < oldest) drop++;
      if (drop > 0) {
        trail.lat.splice(0, drop);
        trail.lon.splice(0, drop);
        trail.ts.splice(0, drop);
      }
      trimBefore(trail.xy, trail.xyTs, oldest);
    }
  }

  /** Recompute a trail's thinned pixels at the current zoom (after a zoom change, lazily, inside a redraw slice). */
  private project(trail: Trail): void {
    trail.xy = [];
    trail.xyTs = [];
    trail.zoom = this.zoom;
    for (let i = 0; i < trail.ts.length; i++) {
      const [x, y] = mercatorPixel(trail.lat[i] as number, trail.lon[i] as number, this.zoom);
      appendThinned(trail.xy, trail.xyTs, x, y, trail.ts[i] as number, MIN_STEP_PX);
    }
  }

  private reset = (): void => {
    this.view.caughtUp();
    const map = this._map;
    const front = this.front;
    if (!map || !front || !this.back) return;
    const size = map.getSize();
    const padX = Math.round(size.x * PADDING);
    const padY = Math.round(size.y * PADDING);
    const topLeft = map.containerPointToLayerPoint([-padX, -padY]);
    L.DomUtil.setPosition(front, topLeft);
    this.scale = window.devicePixelRatio || 1;
    const cssW = size.x + 2 * padX;
    const cssH = size.y + 2 * padY;
    front.style.width = `${cssW}px`;
    front.style.height = `${cssH}px`;
    const width = Math.round(cssW * this.scale);
    const height = Math.round(cssH * this.scale);
    const origin = map.getPixelOrigin().add(topLeft);
    const zoom = map.getZoom();
    if (front.width !== width || front.height !== height) {
      for (const canvas of [front, this.back]) {
        canvas.width = width;
        canvas.height = height;
      }
    } else {
      // Shift what is drawn by the pan, so trails stay in place until the full redraw replaces them.
      const ctx = front.getContext('2d');
      const tmp = this.back.getContext('2d');
      if (ctx && tmp) {
        tmp.setTransform(1, 0, 0, 1, 0, 0);
        tmp.clearRect(0, 0, width, height);
        if (zoom === this.zoom) {
          tmp.drawImage(
            front,
            (this.originX - origin.x) * this.scale,
            (this.originY - origin.y) * this.scale,
          );
        }
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, width, height);
        ctx.drawImage(this.back, 0, 0);
      }
    }
    this.originX = origin.x;
    this.originY = origin.y;
    this.zoom = zoom;
    this.pendingAppends.clear();
    this.startFullRedraw();
  };

  private startFullRedraw(): void {
    if (!this.back) return;
    this.rebuildQueue = [...this.trails.keys()];
    const ctx = this.back.getContext('2d');
    ctx?.setTransform(1, 0, 0, 1, 0, 0);
    ctx?.clearRect(0, 0, this.back.width, this.back.height);
    this.request();
  }

  private request(): void {
    if (this.frame || !this.front) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.step();
    });
  }

  private stroke(ctx: CanvasRenderingContext2D, trail: Trail, from: number): void {
    const n = trail.xyTs.length;
    if (n - from < 2) return;
    ctx.beginPath();
    ctx.strokeStyle = trail.color;
    ctx.moveTo(
      (trail.xy[2 * from] as number) - this.originX,
      (trail.xy[2 * from + 1] as number) - this.originY,
    );
    for (let i = from + 1; i < n; i++) {
      ctx.lineTo((trail.xy[2 * i] as number) - this.originX, (trail.xy[2 * i + 1] as number) - this.originY);
    }
    ctx.stroke();
    this.counters.points += n - from;
  }

  private context(canvas: HTMLCanvasElement | undefined): CanvasRenderingContext2D | undefined {
    const ctx = canvas?.getContext('2d') ?? undefined;
    if (!ctx) return undefined;
    ctx.setTransform(this.scale, 0, 0, this.scale, 0, 0);
    ctx.lineWidth = LINE_WIDTH;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    return ctx;
  }

  private step(): void {
    const front = this.context(this.front);
    if (!front) return;
    const back = this.rebuildQueue ? this.context(this.back) : undefined;
    // New points go onto the front canvas now; the back one, if a redraw is under way, gets them too (a member
    // not yet redrawn into it is drawn whole later, which covers the same points).
    for (const [uid, from] of this.pendingAppends) {
      const trail = this.trails.get(uid);
      if (!trail) continue;
      this.stroke(front, trail, from);
      if (back) this.stroke(back, trail, from);
      this.counters.appendedSegments++;
    }
    this.pendingAppends.clear();

    const now = performance.now();
    if (!this.rebuildQueue) {
      if (now - this.lastFullRedraw > FULL_REDRAW_EVERY_MS && this.trails.size > 0) this.startFullRedraw();
      return;
    }
    if (!back) return;
    const deadline = now + SLICE_BUDGET_MS;
    while (this.rebuildQueue.length > 0 && performance.now() < deadline) {
      for (let k = 0; k < 50 && this.rebuildQueue.length > 0; k++) {
        const trail = this.trails.get(this.rebuildQueue.pop() as string);
        if (!trail) continue;
        if (trail.zoom !== this.zoom) this.project(trail);
        this.stroke(back, trail, 0);
      }
    }
    if (this.rebuildQueue.length > 0) {
      this.request();
      return;
    }
    this.rebuildQueue = undefined;
    this.lastFullRedraw = performance.now();
    this.counters.fullRedraws++;
    const raw = this.front?.getContext('2d');
    if (raw && this.back) {
      raw.setTransform(1, 0, 0, 1, 0, 0);
      raw.clearRect(0, 0, raw.canvas.width, raw.canvas.height);
      raw.drawImage(this.back, 0, 0);
    }
    this.front?.setAttribute('data-redraws', String(this.counters.fullRedraws));
  }
}
