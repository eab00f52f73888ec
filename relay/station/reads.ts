/**
 * `history` and `range` with positioning on: one read of the positioning library each, within the token's scope.
 * A refused or failed read is an `error` with the library's stable code (`bad_field`, `unavailable`).
 */
import type { HistoryMessage, RangeMessage } from '../../protocol/messages.js';
import { scopeAllows } from '../../protocol/token.js';
import { PositioningError } from '../positioning/positioning.js';
import type { StationConnection } from './connection.js';
import { type HandlerContext, sendError } from './handlers.js';

export async function onHistory(
  ctx: HandlerContext,
  station: StationConnection,
  msg: HistoryMessage,
): Promise<void> {
  const { id, uid } = msg;
  if (!allowed(ctx, station, id, uid)) return;
  try {
    const page = await ctx.positioning!.history(uid, msg.from, msg.to, msg.limit, msg.cursor);
    station.send({ type: 'history', id, uid, fixes: page.fixes, next: page.next });
  } catch (error) {
    refuse(ctx, station, error, id, uid);
  }
}

export async function onRange(
  ctx: HandlerContext,
  station: StationConnection,
  msg: RangeMessage,
): Promise<void> {
  const { id, uid } = msg;
  if (!allowed(ctx, station, id, uid)) return;
  try {
    const result = await ctx.positioning!.range(uid, msg.epoch, msg.from, msg.to);
    station.send({
      type: 'range',
      id,
      uid,
      // Redis has nothing for the member: the asked epoch is gone, which `reason` says.
      epoch: result.epoch ?? msg.epoch,
      fixes: result.fixes,
      complete: result.complete,
      ...(result.reason ? { reason: result.reason } : {}),
    });
  } catch (error) {
    refuse(ctx, station, error, id, uid);
  }
}

function allowed(ctx: HandlerContext, station: StationConnection, id: string, uid: string): boolean {
  if (scopeAllows(station.identity.members, uid)) return true;
  sendError(ctx, station, 'forbidden', `your token does not allow member ${uid}`, { id, uid });
  return false;
}

function refuse(
  ctx: HandlerContext,
  station: StationConnection,
  error: unknown,
  id: string,
  uid: string,
): void {
  if (!(error instanceof PositioningError)) throw error;
  sendError(ctx, station, error.code, error.message, { id, uid });
}
