/**
 * Coalesces bursts into at most one callback per animation frame. Fixes can arrive hundreds per second (500
 * watched members at 1 Hz, plus catch-up replays); the map needs to redraw at most once per frame, so the
 * scheduler is requestAnimationFrame in the page and a manual pump in tests.
 */
export type FrameScheduler = (callback: () => void) => void;

export const animationFrameScheduler: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

export class FrameThrottle {
  private pending = false;

  constructor(
    private readonly schedule: FrameScheduler,
    private readonly run: () => void,
  ) {}

  /** Ask for one run on the next frame; further requests before it are folded into that run. */
  request(): void {
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      this.run();
    });
  }
}
