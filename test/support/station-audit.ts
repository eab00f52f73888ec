/**
 * The "never a silent hole" check on what one station received for one member, in arrival order: within an epoch
 * offsets continue by one (no hole, no repeat); a fix of another epoch is allowed only after the station was told
 * (`watched` with `not_recoverable: epoch_changed`), after which the new epoch may start anywhere and then continues.
 */
import type { PositionedFix } from '../../protocol/fix.js';
import type { ServerMessage } from '../../protocol/messages.js';

export interface StationAudit {
  problems: string[];
  /** The member's fixes as kept: every fix that was not a problem, in arrival order. */
  fixes: PositionedFix[];
  epochChanges: number;
}

export function auditStation(messages: readonly ServerMessage[], uid: string): StationAudit {
  const problems: string[] = [];
  const fixes: PositionedFix[] = [];
  let held: PositionedFix | undefined;
  let told = false;
  let epochChanges = 0;
  for (const m of messages) {
    if (m.type === 'watched' && m.uid === uid && m.catchup.status === 'not_recoverable') {
      if (m.catchup.reason === 'epoch_changed') {
        told = true;
        epochChanges++;
      } else problems.push(`not_recoverable ${m.catchup.reason} after offset ${held?.offset ?? 0}`);
      continue;
    }
    if (m.type !== 'fix' || m.fix.uid !== uid) continue;
    const fix = m.fix as PositionedFix;
    if (held === undefined || fix.epoch !== held.epoch) {
      const fresh = held === undefined && fix.offset === 1;
      if (!fresh && !told)
        problems.push(
          held === undefined
            ? `first fix at offset ${fix.offset}, not 1, untold`
            : `silent epoch switch ${held.epoch}:${held.offset} -> ${fix.epoch}:${fix.offset}`,
        );
      told = false;
    } else if (fix.offset !== held.offset + 1) {
      problems.push(
        fix.offset <= held.offset
          ? `repeat of offset ${fix.offset} after ${held.offset}`
          : `hole: offsets ${held.offset + 1}..${fix.offset - 1} never arrived`,
      );
      if (fix.offset <= held.offset) continue;
    }
    held = fix;
    fixes.push(fix);
  }
  return { problems, fixes, epochChanges };
}
