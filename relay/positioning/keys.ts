/**
 * Redis key names and the encodings stored in them. Every key of one member carries the hash tag `{uid}`, so in
 * Redis Cluster a member's keys share one slot and the position script can touch them all (docs/scaling.md).
 */
import { hash } from 'node:crypto';
import { UID_PATTERN } from '../../protocol/fix.js';
import { PositioningError } from './errors.js';
import { slotTag } from './slots.js';

export interface MemberKeys {
  meta: string;
  stream: string;
  byTime: string;
}

export function memberKeys(prefix: string, uid: string): MemberKeys {
  const base = `${prefix}{${uid}}:`;
  return { meta: `${base}meta`, stream: `${base}fixes`, byTime: `${base}bytime` };
}

/**
 * A member's keys, for a uid from a caller: a uid outside the pattern could carry `{` or `}` and break the hash
 * tag, so it is refused at this boundary too.
 */
export function checkedMemberKeys(prefix: string, uid: string): MemberKeys {
  if (!UID_PATTERN.test(uid)) throw new PositioningError('bad_field', 'uid must be 1-64 of [A-Za-z0-9_.:-]');
  return memberKeys(prefix, uid);
}

/** Prefix of the sets of idempotency claims (position.lua KEYS[1]); the script appends the time bucket. */
export function claimsPrefix(prefix: string): string {
  return `${prefix}seen:`;
}

/**
 * Under Redis Cluster: the claims prefix of one hash slot (`<prefix>seen:{<slot tag>}:`). A script may only touch
 * keys of the slots its node owns, so each slot keeps its own claim sets; every relay names them alike.
 */
export function slotClaimsPrefix(prefix: string, slot: number): string {
  return `${prefix}seen:{${slotTag(slot)}}:`;
}

/** One fix's idempotency claim (position.lua ARGV[8]): the same key of another member is another claim. */
export function idempotencyClaim(uid: string, key: string): string {
  return `${uid}:${key}`;
}

/**
 * The idempotency key of one raw message. The mini-program sets a client id (`cid`) on every fix, so a retried
 * upload is one fix. Without a cid the message bytes are the identity: two byte-identical messages within the TTL
 * are one fix, which is why PHP senders should include `ts` (then two real fixes are never byte-identical).
 */
export function idempotencyKeyFor(fix: { uid: string; cid?: string }, raw: string | Buffer): string {
  if (fix.cid !== undefined) return `cid:${fix.uid}:${fix.cid}`;
  // One-shot hash(): no Hash object per message; base64url keeps the claim short (27 characters).
  return `sha1:${hash('sha1', raw, 'base64url')}`;
}

const TS_DIGITS = 13;
const OFFSET_DIGITS = 12;
/** The largest fix ts position.lua takes (13 digits). */
export const MAX_FIX_TS = 10 ** TS_DIGITS - 1;

/**
 * Time-index member: fixed-width digits, so lexical order is (ts, offset) order. Mirrors position.lua. The index
 * holds only out-of-order fixes, but every fix has this (ts, offset) position: history pages by it and its cursors
 * carry it (offset 0 is before every fix of a ts).
 */
export function timeIndexMember(ts: number, offset: number): string {
  return `${String(ts).padStart(TS_DIGITS, '0')}:${String(offset).padStart(OFFSET_DIGITS, '0')}`;
}

const TIME_INDEX_MEMBER = /^\d{13}:\d{12}$/;

/**
 * History cursors are opaque to stations: base64url of `<epoch> <position>`, the position (timeIndexMember) after
 * which the next page starts (usually the last fix sent). The epoch lets a cursor from a lost history start the
 * range again instead of skipping fixes of the new epoch.
 */
export function encodeHistoryCursor(epoch: string, member: string): string {
  return Buffer.from(`${epoch} ${member}`, 'utf8').toString('base64url');
}

export function decodeHistoryCursor(cursor: string): { epoch: string; member: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(cursor)) return undefined;
  const [epoch, member, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(' ');
  if (rest.length > 0 || !epoch || !member || !TIME_INDEX_MEMBER.test(member)) return undefined;
  return { epoch, member };
}

/** The offset of a stream entry ID `<offset>-<arrival ms>` (see position.lua). */
export function offsetOfStreamId(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}
