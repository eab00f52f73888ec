/**
 * Which markers lie near a point or a rectangle of the canvas, without scanning all of them: a uniform grid of
 * cells holding marker indexes. Used for partial redraws (markers overlapping a dirty rectangle) and clicks.
 * Written here rather than taken from a library (rbush, kdbush) because markers move every second and a grid
 * updates in O(1) per move, where those indexes are built for static points.
 */
export class SpatialGrid {
  private readonly cells = new Map<number, Set<number>>();
  private readonly cellOf: Int32Array;

  constructor(
    capacity: number,
    readonly cellSize = 64,
  ) {
    this.cellOf = new Int32Array(capacity).fill(-1);
  }

  get capacity(): number {
    return this.cellOf.length;
  }

  private key(x: number, y: number): number {
    // Canvas coordinates stay within a few thousand pixels; 16 bits per axis with an offset covers them.
    const cx = Math.floor(x / this.cellSize) + 32_768;
    const cy = Math.floor(y / this.cellSize) + 32_768;
    return ((cx & 0xffff) << 16) | (cy & 0xffff);
  }

  set(index: number, x: number, y: number): void {
    const key = this.key(x, y);
    const old = this.cellOf[index] as number;
    if (old === key) return;
    if (old !== -1) this.cells.get(old)?.delete(index);
    let cell = this.cells.get(key);
    if (!cell) {
      cell = new Set();
      this.cells.set(key, cell);
    }
    cell.add(index);
    this.cellOf[index] = key;
  }

  delete(index: number): void {
    const old = this.cellOf[index] as number;
    if (old === -1) return;
    this.cells.get(old)?.delete(index);
    this.cellOf[index] = -1;
  }

  clear(): void {
    this.cells.clear();
    this.cellOf.fill(-1);
  }

  /** Indexes whose cell overlaps the rectangle (callers check exact distance). */
  query(x0: number, y0: number, x1: number, y1: number, into: Set<number> = new Set()): Set<number> {
    const c0x = Math.floor(x0 / this.cellSize);
    const c1x = Math.floor(x1 / this.cellSize);
    const c0y = Math.floor(y0 / this.cellSize);
    const c1y = Math.floor(y1 / this.cellSize);
    for (let cx = c0x; cx <= c1x; cx++) {
      for (let cy = c0y; cy <= c1y; cy++) {
        const cell = this.cells.get((((cx + 32_768) & 0xffff) << 16) | ((cy + 32_768) & 0xffff));
        if (cell) for (const index of cell) into.add(index);
      }
    }
    return into;
  }
}
