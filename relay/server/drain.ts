/**
 * When each station is closed during a drain: spread evenly over the window, so thousands of stations do not all
 * reconnect to the remaining instances in the same instant. Pure; the app applies it.
 */
export function drainSchedule(count: number, windowMs: number): number[] {
  if (count <= 0) return [];
  if (count === 1 || windowMs <= 0) return new Array<number>(count).fill(0);
  const step = windowMs / count;
  return Array.from({ length: count }, (_, i) => Math.floor(i * step));
}
