/** The watch list: members the dispatcher follows, with a local label and colour, in the store's database. */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { UID_PATTERN } from '../../../protocol/fix.js';
import type { WatchedMember } from '../../../contract/station-api.js';
import { StoreError } from './errors.js';

/** Distinct on a map, readable on light and dark tiles, and distinguishable with the common colour blindnesses. */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#e377c2',
  '#8c564b',
];

/** A stable default colour per member, so a member keeps its colour across restarts and stations. */
export function defaultColor(uid: string): string {
  let hash = 0;
  for (let i = 0; i < uid.length; i++) hash = (hash * 31 + uid.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

const changesSchema = z.object({
  label: z.string().min(1).max(80).optional(),
  color: z
    .string()
    .regex(/^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,32})$/)
    .optional(),
});

export class WatchList {
  private readonly all: Database.Statement;
  private readonly one: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.all = db.prepare(
      'SELECT uid, label, color, added_at AS addedAt FROM watched ORDER BY added_at, uid',
    );
    this.one = db.prepare('SELECT uid, label, color, added_at AS addedAt FROM watched WHERE uid = ?');
    this.upsert = db.prepare(
      `INSERT INTO watched (uid, label, color, added_at) VALUES (@uid, @label, @color, @addedAt)
       ON CONFLICT (uid) DO UPDATE SET label = excluded.label, color = excluded.color`,
    );
    this.remove = db.prepare('DELETE FROM watched WHERE uid = ?');
  }

  list(): WatchedMember[] {
    return this.all.all() as WatchedMember[];
  }

  put(uid: string, changes: { label?: string; color?: string } = {}, now = Date.now()): WatchedMember {
    if (typeof uid !== 'string' || !UID_PATTERN.test(uid)) {
      throw new StoreError('STORE_BAD_INPUT', `not a member id: ${JSON.stringify(uid)}`);
    }
    const parsed = changesSchema.safeParse(changes);
    if (!parsed.success)
      throw new StoreError('STORE_BAD_INPUT', `bad label or colour: ${parsed.error.message}`);
    const valid = parsed.data;
    const existing = this.one.get(uid) as WatchedMember | undefined;
    const member: WatchedMember = {
      uid,
      label: valid.label ?? existing?.label ?? uid,
      color: valid.color ?? existing?.color ?? defaultColor(uid),
      addedAt: existing?.addedAt ?? now,
    };
    this.upsert.run(member);
    return member;
  }

  /** Many members in one transaction: a bulk add of thousands is one commit, not thousands. */
  putMany(
    members: readonly { uid: string; label?: string; color?: string }[],
    now = Date.now(),
  ): WatchedMember[] {
    return this.db.transaction(() => members.map(({ uid, ...changes }) => this.put(uid, changes, now)))();
  }

  delete(uid: string): boolean {
    return this.remove.run(uid).changes > 0;
  }
}
