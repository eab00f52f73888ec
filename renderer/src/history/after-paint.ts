/**
 * Work that must wait until the dispatcher sees something. A canvas draw or a React commit is on screen only after
 * the frame that follows, and the work left in the same task (fitting the map, laying out the new reports) comes
 * before that frame. A frame callback runs before the frame's style, layout and paint; a task posted from it runs
 * after them.
 */
export function afterNextPaint(run: () => void, fallbackMs = 1000): void {
  let done = false;
  const once = (): void => {
    if (done) return;
    done = true;
    run();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  // A hidden page gets no frames: the work still runs, later.
  setTimeout(once, fallbackMs);
}

/** Marks for the history benchmark that say when the dispatcher sees something, not when the code asked for it. */
export function markAfterNextPaint(name: string): void {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
}
