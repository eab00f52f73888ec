/**
 * Following a member is watching where they go street by street: from a wide view the map zooms in to street
 * level (never past what the basemap offers); a closer view the dispatcher chose is kept.
 */
export const FOLLOW_ZOOM = 16;

export function followZoom(current: number, maxZoom: number): number {
  return Math.max(current, Math.min(FOLLOW_ZOOM, maxZoom));
}
