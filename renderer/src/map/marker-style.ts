/**
 * How a member's marker looks in each state: live is solid, stale is faded with a coloured outline, offline is
 * hollow and grey-ringed, so the three read apart at a glance and without relying on colour alone.
 */
import type { MemberState } from '../live/member-state.js';

export interface MarkerLook {
  fill: string | undefined;
  fillAlpha: number;
  ring: string;
  ringWidth: number;
  dashed: boolean;
}

export const MARKER_RADIUS = 7;
/** Half the size of the box a marker (with its selection ring) may paint into. */
export const MARKER_HALF_BOX = 13;

export function markerLook(color: string, state: MemberState, selected: boolean): MarkerLook {
  const ring = selected ? '#1d2330' : undefined;
  switch (state) {
    case 'live':
      return { fill: color, fillAlpha: 0.95, ring: ring ?? '#ffffff', ringWidth: 2, dashed: false };
    case 'stale':
      return { fill: color, fillAlpha: 0.4, ring: ring ?? color, ringWidth: 2, dashed: false };
    case 'offline':
    case 'none':
      return { fill: undefined, fillAlpha: 0, ring: ring ?? '#6b7280', ringWidth: 2, dashed: true };
  }
}

/** Draw one marker image, centred in a square canvas of side 2 × MARKER_HALF_BOX css pixels. */
export function drawMarkerSprite(
  ctx: CanvasRenderingContext2D,
  look: MarkerLook,
  color: string,
  selected: boolean,
  scale: number,
): void {
  const c = MARKER_HALF_BOX;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  if (selected) {
    ctx.beginPath();
    ctx.arc(c, c, MARKER_RADIUS + 4, 0, Math.PI * 2);
    ctx.fillStyle = 'rgba(255, 214, 0, 0.55)';
    ctx.fill();
  }
  ctx.beginPath();
  ctx.arc(c, c, MARKER_RADIUS, 0, Math.PI * 2);
  if (look.fill) {
    ctx.globalAlpha = look.fillAlpha;
    ctx.fillStyle = look.fill;
    ctx.fill();
    ctx.globalAlpha = 1;
  } else {
    ctx.fillStyle = 'rgba(255, 255, 255, 0.75)';
    ctx.fill();
  }
  ctx.lineWidth = look.ringWidth;
  ctx.strokeStyle = look.ring;
  ctx.setLineDash(look.dashed ? [3, 2] : []);
  ctx.stroke();
  if (!look.fill) {
    // The member's colour survives in a small centre dot, so a hollow marker is still findable by colour.
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.arc(c, c, 2.5, 0, Math.PI * 2);
    ctx.fillStyle = color;
    ctx.fill();
  }
}
