/**
 * When a batch's positions may be published. Redis replicates asynchronously: a master that runs a batch, publishes
 * its positions and then dies before its replica has the writes leaves stations holding fixes the promoted replica
 * never had (its offsets are then assigned again to other fixes). So when the master has replicas, the batch script
 * only returns what it would publish, the relay asks `WAIT` for replicas' acknowledgement on the same connection,
 * and publishes only then (acked-publish.ts). These are the pure decisions; docs/scaling.md "Redis Cluster" says what
 * this does and does not guarantee.
 */

/** RELAY_REPLICA_ACKS: `auto` (one replica when the master has any) or how many replicas must acknowledge (0: never wait). */
export type ReplicaAcksSetting = 'auto' | number;

/** Most replicas one may ask for: more than any deployment here runs, and WAIT's count is a small integer. */
export const MAX_REPLICA_ACKS = 16;

/**
 * A replica whose last acknowledgement is older than this (INFO `lag`, seconds) is not online: it is cut off or
 * stuck. Redis uses the same default for `min-replicas-max-lag`.
 */
export const REPLICA_MAX_LAG_S = 10;

/**
 * A replica seen online this recently still counts, although the master does not list it now: a replica whose link
 * dropped a moment ago may still be the one promoted, so writes wait for it rather than being published on the
 * master alone. Past this it no longer counts and the master publishes as one without replicas: the longest that
 * positioning on a master waits for a replica that is gone.
 */
export const REPLICA_GRACE_MS = 10_000;

/** How long one WAIT blocks the connection before the relay looks at the replicas again (and waits again). */
export const WAIT_TIMEOUT_MS = 250;

/**
 * How many replicas must acknowledge a batch before its positions are published, given the replicas that count
 * now (countedReplicas). 0: publish from the script as with no replica (nothing to wait for, and the cost stays what it
 * is on a single Redis). A fixed count larger than the replicas online asks only those: WAIT for more would never
 * return enough.
 */
export function acksNeeded(setting: ReplicaAcksSetting, replicas: number): number {
  if (replicas <= 0 || setting === 0) return 0;
  return setting === 'auto' ? 1 : Math.min(setting, replicas);
}

export type WaitVerdict =
  /** Enough replicas hold the writes (or none is left to wait for): publish. */
  | 'publish'
  /** Too few acknowledged within the timeout, the master is still there: count it, wait again. */
  | 'wait_again'
  /**
   * The WAIT failed, or its connection was replaced since the script ran (a WAIT on a new connection waits for
   * nothing). Whether the writes survive is unknown: the batch goes back to the backlog; tried again, its claims
   * answer `duplicate` where they did, and it is positioned anew where they did not.
   */
  | 'unavailable';

export function afterWait(input: {
  setting: ReplicaAcksSetting;
  /** What the batch was sent needing (acksNeeded when it was sent). */
  needed: number;
  /** WAIT's reply: replicas that acknowledged; an Error when it failed. */
  acked: number | Error;
  /** The connection is the one the script ran on. */
  sameConnection: boolean;
  /** Replicas that count when looked at again after a short WAIT (countedReplicas); undefined when not looked at. */
  replicasNow?: number;
}): WaitVerdict {
  const { acked } = input;
  if (acked instanceof Error || !input.sameConnection) return 'unavailable';
  if (acked >= input.needed) return 'publish';
  // The replicas went away (not seen online for REPLICA_GRACE_MS): waiting cannot help, and a master without
  // replicas publishes from its script anyway.
  if (input.replicasNow !== undefined && acked >= acksNeeded(input.setting, input.replicasNow))
    return 'publish';
  return 'wait_again';
}

/**
 * Replicas online from `INFO replication`, as `ip:port`: lines `slave<n>:ip=…,port=…,state=online,offset=…,lag=<s>`,
 * those online with a recent acknowledgement. A server that is itself a replica (`role:slave`) has none to wait
 * for: writes there fail anyway.
 */
export function onlineReplicas(info: string): string[] {
  if (/^role:slave\b/m.test(info)) return [];
  const online: string[] = [];
  for (const m of info.matchAll(/^slave\d+:(.*)$/gm)) {
    const fields = new Map((m[1] ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
    const lag = Number(fields.get('lag'));
    if (fields.get('state') === 'online' && Number.isFinite(lag) && lag <= REPLICA_MAX_LAG_S)
      online.push(`${fields.get('ip')}:${fields.get('port')}`);
  }
  return online;
}

/** Replicas that count: those seen online (`lastSeen`: replica -> ms) within REPLICA_GRACE_MS of `now`. */
export function countedReplicas(lastSeen: ReadonlyMap<string, number>, now: number): number {
  let n = 0;
  for (const at of lastSeen.values()) if (now - at <= REPLICA_GRACE_MS) n++;
  return n;
}

/** RELAY_REPLICA_ACKS's value: `auto` or an integer 0..MAX_REPLICA_ACKS. */
export function parseReplicaAcks(t: string): { value: ReplicaAcksSetting } | { error: string } {
  const s = t.trim().toLowerCase();
  if (s === 'auto') return { value: 'auto' };
  if (/^\d+$/.test(s) && Number(s) <= MAX_REPLICA_ACKS) return { value: Number(s) };
  return { error: `must be auto or an integer from 0 to ${MAX_REPLICA_ACKS}, got "${t}"` };
}
