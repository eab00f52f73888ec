/**
 * Every watched member's marker on one canvas, from typed arrays: Leaflet's one-layer-per-marker costs ~17-33 ms
 * a frame at 1,000 members (canvas) and ~83 ms (SVG). Positions are kept in world pixels at the current zoom;
 * a frame redraws only the small rectangles around markers that moved or changed state (and the markers
 * overlapping them), from pre-rendered sprites. Pan and zoom redraw everything once.
 */
import L from 'leaflet';
import type { Crs } from '../../../protocol/fix-limits.js';
import type { Fix } from '../../../protocol/fix-types.js';
import type { MemberState } from '../live/member-state.js';
import { drawMarkerSprite, MARKER_HALF_BOX, MARKER_RADIUS, markerLook } from './marker-style.js';
import { toBasemap } from './project.js';
import { SpatialGrid } from './spatial-grid.js';
import { HiddenViewGate } from './hidden-view-gate.js';

export interface MarkerSource {
  latest(uid: string): Fix | undefined;
  state(uid: string): MemberState;
}

const STATE_CODES: Record<MemberState, number> = { none: 0, live: 1, stale: 2, offline: 3 };
const STATE_BY_CODE: MemberState[] = ['none', 'live', 'stale', 'offline'];
/** Past this share of markers changed in one frame, one full redraw is cheaper than many small ones. */
const FULL_REDRAW_SHARE = 0.25;
const PADDING = 0.1;
const H = MARKER_HALF_BOX;

export class MarkerCanvasLayer extends L.Layer {
  private canvas: HTMLCanvasElement | undefined;
  private ctx: CanvasRenderingContext2D | undefined;
  private uids: string[] = [];
  private colors: string[] = [];
  private readonly indexOf = new Map<string, number>();
  private lat = new Float64Array(0);
  private lon = new Float64Array(0);
  private worldX = new Float64Array(0);
  private worldY = new Float64Array(0);
  private has = new Uint8Array(0);
  private stateCode = new Uint8Array(0);
  /** Where each marker was last drawn, canvas pixels; NaN when not drawn. */
  private drawnX = new Float32Array(0);
  private drawnY = new Float32Array(0);
  private grid = new SpatialGrid(0);
  private selected = -1;
  private basemapCrs: Crs = 'gcj02';
  private zoom = 0;
  private originX = 0;
  private originY = 0;
  private padX = 0;
  private padY = 0;
  private scale = 1;
  private readonly sprites = new Map<string, HTMLCanvasElement>();
  private dirty = new Set<number>();
  private fullRedraw = true;
  private frame = 0;
  private readonly view = new HiddenViewGate(() => this.reset());
  /** Figures for the benchmark: how much each kind of frame drew. */
  readonly counters = { fullRedraws: 0, partialRedraws: 0, markersDrawn: 0 };

  constructor(
    private readonly source: MarkerSource,
    private readonly paneName: string,
  ) {
    super();
  }

  override onAdd(map: L.Map): this {
    const canvas = L.DomUtil.create('canvas', 'live-markers leaflet-zoom-hide');
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d') ?? undefined;
    map.getPane(this.paneName)?.appendChild(canvas);
    this.reset();
    return this;
  }

  override onRemove(): this {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.canvas?.remove();
    this.canvas = undefined;
    this.ctx = undefined;
    return this;
  }

  override getEvents(): Record<string, L.LeafletEventHandlerFn> {
    const onView = this.view.onView;
    return { moveend: onView, zoomend: onView, resize: onView, viewreset: onView };
  }

  setShown(shown: boolean): void {
    this.view.setShown(shown);
  }

  /** The watched members (order = drawing order) and the basemap they are drawn on. */
  setMembers(members: readonly { uid: string; color: string }[], basemapCrs: Crs): void {
    const n = members.length;
    this.uids = members.map((m) => m.uid);
    this.colors = members.map((m) => m.color);
    this.indexOf.clear();
    this.uids.forEach((uid, i) => this.indexOf.set(uid, i));
    this.basemapCrs = basemapCrs;
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.worldX = new Float64Array(n);
    this.worldY = new Float64Array(n);
    this.has = new Uint8Array(n);
    this.stateCode = new Uint8Array(n);
    this.drawnX = new Float32Array(n).fill(Number.NaN);
    this.drawnY = new Float32Array(n).fill(Number.NaN);
    this.grid = new SpatialGrid(n);
    const selectedUid = this.selected >= 0 ? this.uids[this.selected] : undefined;
    this.selected = -1;
    for (let i = 0; i < n; i++) {
      this.readPosition(i);
      this.stateCode[i] = STATE_CODES[this.source.state(this.uids[i] as string)];
    }
    if (selectedUid) this.selected = this.indexOf.get(selectedUid) ?? -1;
    this.requestFull();
  }

  /** Members whose latest fix changed. */
  moved(uids: Iterable<string>): void {
    for (const uid of uids) {
      const i = this.indexOf.get(uid);
      if (i === undefined) continue;
      this.readPosition(i);
      this.dirty.add(i);
    }
    this.request();
  }

  /** Members whose state (live/stale/offline) changed. */
  restyled(uids: Iterable<string>): void {
    for (const uid of uids) {
      const i = this.indexOf.get(uid);
      if (i === undefined) continue;
      this.stateCode[i] = STATE_CODES[this.source.state(uid)];
      this.dirty.add(i);
    }
    this.request();
  }

  setSelected(uid: string | undefined): void {
    const next = uid === undefined ? -1 : (this.indexOf.get(uid) ?? -1);
    if (next === this.selected) return;
    if (this.selected >= 0) this.dirty.add(this.selected);
    if (next >= 0) this.dirty.add(next);
    this.selected = next;
    this.request();
  }

  /** The member's position on the basemap, as Leaflet wants it. */
  latLngOf(uid: string): L.LatLng | undefined {
    const i = this.indexOf.get(uid);
    return i === undefined || !this.has[i]
      ? undefined
      : L.latLng(this.lat[i] as number, this.lon[i] as number);
  }

  /** Every member with a position, for fitting the view. */
  positions(): L.LatLng[] {
    const out: L.LatLng[] = [];
    for (let i = 0; i < this.uids.length; i++)
      if (this.has[i]) out.push(L.latLng(this.lat[i]!, this.lon[i]!));
    return out;
  }

  /** The topmost member drawn under a container point, within the marker's radius plus a little slack. */
  hitTest(point: L.Point): string | undefined {
    const x = point.x + this.canvasOffsetX();
    const y = point.y + this.canvasOffsetY();
    const reach = MARKER_RADIUS + 3;
    let best = -1;
    for (const i of this.grid.query(x - reach, y - reach, x + reach, y + reach)) {
      const dx = (this.drawnX[i] as number) - x;
      const dy = (this.drawnY[i] as number) - y;
      if (dx * dx + dy * dy <= reach * reach && (i > best || i === this.selected)) best = i;
    }
    return best >= 0 ? this.uids[best] : undefined;
  }

  /** Where a member is drawn, in container pixels (tests read this through the canvas element). */
  drawnAt(uid: string): { x: number; y: number; state: MemberState } | undefined {
    const i = this.indexOf.get(uid);
    if (i === undefined || Number.isNaN(this.drawnX[i])) return undefined;
    return {
      x: (this.drawnX[i] as number) - this.canvasOffsetX(),
      y: (this.drawnY[i] as number) - this.canvasOffsetY(),
      state: STATE_BY_CODE[this.stateCode[i] as number] as MemberState,
    };
  }

  drawnCount(): number {
    let count = 0;
    for (let i = 0; i < this.drawnX.length; i++) if (!Number.isNaN(this.drawnX[i])) count++;
    return count;
  }

  private canvasOffsetX(): number {
    return this.padX;
  }

  private canvasOffsetY(): number {
    return this.padY;
  }

  private readPosition(i: number): void {
    const fix = this.source.latest(this.uids[i] as string);
    if (!fix) {
      this.has[i] = 0;
      return;
    }
    const [lat, lon] =
      fix.crs === this.basemapCrs
        ? [fix.lat, fix.lon]
        : toBasemap(fix.lat, fix.lon, fix.crs, this.basemapCrs);
    this.lat[i] = lat;
    this.lon[i] = lon;
    this.has[i] = 1;
    if (this._map) this.projectOne(i);
  }

  private projectOne(i: number): void {
    const p = this._map.project([this.lat[i] as number, this.lon[i] as number], this.zoom);
    this.worldX[i] = p.x;
    this.worldY[i] = p.y;
  }

  private reset = (): void => {
    this.view.caughtUp();
    const map = this._map;
    const canvas = this.canvas;
    if (!map || !canvas) return;
    const size = map.getSize();
    const padX = Math.round(size.x * PADDING);
    const padY = Math.round(size.y * PADDING);
    this.padX = padX;
    this.padY = padY;
    const topLeft = map.containerPointToLayerPoint([-padX, -padY]);
    L.DomUtil.setPosition(canvas, topLeft);
    const cssW = size.x + 2 * padX;
    const cssH = size.y + 2 * padY;
    this.scale = window.devicePixelRatio || 1;
    canvas.style.width = `${cssW}px`;
    canvas.style.height = `${cssH}px`;
    const w = Math.round(cssW * this.scale);
    const h = Math.round(cssH * this.scale);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const zoom = map.getZoom();
    if (zoom !== this.zoom) {
      this.zoom = zoom;
      for (let i = 0; i < this.uids.length; i++) if (this.has[i]) this.projectOne(i);
    }
    const origin = map.getPixelOrigin().add(topLeft);
    this.originX = origin.x;
    this.originY = origin.y;
    this.requestFull();
    // A pan or zoom must never show a stale canvas for a frame: draw now.
    this.draw();
  };

  private requestFull(): void {
    this.fullRedraw = true;
    this.request();
  }

  private request(): void {
    if (this.frame || !this.canvas) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private sprite(i: number): HTMLCanvasElement {
    const color = this.colors[i] as string;
    const state = STATE_BY_CODE[this.stateCode[i] as number] as MemberState;
    const selected = i === this.selected;
    const key = `${color}|${state}|${selected ? 1 : 0}|${this.scale}`;
    let sprite = this.sprites.get(key);
    if (!sprite) {
      sprite = document.createElement('canvas');
      sprite.width = sprite.height = Math.ceil(2 * H * this.scale);
      const ctx = sprite.getContext('2d');
      if (ctx) drawMarkerSprite(ctx, markerLook(color, state, selected), color, selected, this.scale);
      this.sprites.set(key, sprite);
    }
    return sprite;
  }

  private drawOne(ctx: CanvasRenderingContext2D, i: number, cssW: number, cssH: number): void {
    if (!this.has[i]) {
      this.grid.delete(i);
      this.drawnX[i] = this.drawnY[i] = Number.NaN;
      return;
    }
    const x = (this.worldX[i] as number) - this.originX;
    const y = (this.worldY[i] as number) - this.originY;
    if (x < -H || y < -H || x > cssW + H || y > cssH + H) {
      this.grid.delete(i);
      this.drawnX[i] = this.drawnY[i] = Number.NaN;
      return;
    }
    ctx.drawImage(this.sprite(i), x - H, y - H, 2 * H, 2 * H);
    this.drawnX[i] = x;
    this.drawnY[i] = y;
    this.grid.set(i, x, y);
    this.counters.markersDrawn++;
  }

  private draw(): void {
    const ctx = this.ctx;
    const canvas = this.canvas;
    if (!ctx || !canvas || !this._map) return;
    const cssW = canvas.width / this.scale;
    const cssH = canvas.height / this.scale;
    ctx.setTransform(this.scale, 0, 0, this.scale, 0, 0);
    const n = this.uids.length;
    if (this.fullRedraw || this.dirty.size > n * FULL_REDRAW_SHARE) {
      this.fullRedraw = false;
      this.dirty.clear();
      this.counters.fullRedraws++;
      ctx.clearRect(0, 0, cssW, cssH);
      this.grid.clear();
      for (let i = 0; i < n; i++) if (i !== this.selected) this.drawOne(ctx, i, cssW, cssH);
      if (this.selected >= 0) this.drawOne(ctx, this.selected, cssW, cssH);
      this.markDrawn();
      return;
    }
    if (this.dirty.size === 0) return;
    this.counters.partialRedraws++;
    // Clear around each changed marker's old and new place, then redraw every marker touching those boxes,
    // clipped to them, in drawing order so overlaps look as in a full redraw.
    const boxes: number[] = [];
    const changed = [...this.dirty];
    for (const i of changed) {
      const ox = this.drawnX[i] as number;
      if (!Number.isNaN(ox)) boxes.push(ox, this.drawnY[i] as number);
      if (this.has[i])
        boxes.push((this.worldX[i] as number) - this.originX, (this.worldY[i] as number) - this.originY);
    }
    this.dirty.clear();
    const touched = new Set<number>();
    ctx.save();
    ctx.beginPath();
    for (let b = 0; b < boxes.length; b += 2) {
      const x = boxes[b] as number;
      const y = boxes[b + 1] as number;
      ctx.rect(x - H, y - H, 2 * H, 2 * H);
      ctx.clearRect(x - H, y - H, 2 * H, 2 * H);
      this.grid.query(x - 2 * H, y - 2 * H, x + 2 * H, y + 2 * H, touched);
    }
    ctx.clip();
    // Markers that moved into a box are not in the grid under it yet.
    for (const i of changed) touched.add(i);
    const order = [...touched].sort((a, b) => a - b);
    for (const i of order) if (i !== this.selected) this.drawOne(ctx, i, cssW, cssH);
    if (touched.has(this.selected)) this.drawOne(ctx, this.selected, cssW, cssH);
    ctx.restore();
    this.markDrawn();
  }

  private markDrawn(): void {
    this.canvas?.setAttribute('data-drawn', String(this.counters.fullRedraws + this.counters.partialRedraws));
  }
}
