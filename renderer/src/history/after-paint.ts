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

/** The Prioritized Task Scheduling API (Chromium 94+, so Electron too); not in TypeScript's DOM library yet. */
interface TaskScheduler {
  postTask(
    task: () => void,
    options: { priority: 'user-blocking' | 'user-visible' | 'background' },
  ): Promise<void>;
}

/**
 * Marks for the history benchmark that say when the dispatcher sees something, not when the code asked for it.
 * Posted at user-blocking priority where the browser can: a plain timer waited behind the page's other queued
 * tasks (the columns' request and its download, 15-20 ms in a profile), after the frame had already been painted.
 */
export function markAfterNextPaint(name: string): void {
  const scheduler = (globalThis as { scheduler?: TaskScheduler }).scheduler;
  const mark = (): void => void performance.mark(name);
  requestAnimationFrame(() => {
    if (scheduler) void scheduler.postTask(mark, { priority: 'user-blocking' });
    else setTimeout(mark, 0);
  });
}
