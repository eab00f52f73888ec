/**
 * Whether a canvas layer follows the map's moves now or once it shows again. Hidden (the history tab shows), a
 * move or resize of the map only marks the canvas stale: resizing and redrawing a canvas nobody sees cost the
 * history review's first draw ~100 ms (docs/benchmarks.md, "History"). Shown again, it catches up once.
 */
export class HiddenViewGate {
  private shown = true;
  /** A move or resize came while hidden. */
  private stale = false;

  /** `reset` re-measures and redraws the layer; it must call `caughtUp()`, whoever called it. */
  constructor(private readonly reset: () => void) {}

  setShown(shown: boolean): void {
    this.shown = shown;
    if (shown && this.stale) this.reset();
  }

  /** The map moved, zoomed or resized. */
  readonly onView = (): void => {
    if (this.shown) this.reset();
    else this.stale = true;
  };

  caughtUp(): void {
    this.stale = false;
  }
}
