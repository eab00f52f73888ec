/**
 * Positioning's writes: one fix (`position`, the same script PHP calls), a batch of fixes (`positionBatch`, what
 * the relay's raw consumer uses), and retiring an epoch whose latest writes Redis lost.
 */
import type { RedisClient } from '../redis.js';
import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import type { Fix, FixPosition, PositionedFix } from '../../protocol/fix.js';
import { fixJson } from '../../protocol/fix-json.js';
import { fixProblem } from '../../protocol/fix-check.js';
import { AckedPublisher, type AckEvents } from './acked-publish.js';
import { isHeldBeyondRedis } from './decisions.js';
import { guarded, PositioningError, refusal } from './errors.js';
import { checkedMemberKeys, claimsPrefix, idempotencyClaim, slotClaimsPrefix } from './keys.js';
import type { PositioningOptions } from './options.js';
import { readSnapshot } from './read-path.js';
import { clusterBatchOn, type PositioningScripts } from './scripts.js';
import { shardedChannel, slotOf } from './slots.js';

/**
 * Most fixes one `positionBatch` call takes: bounds the script's run time in Redis's one thread (~0.5 ms at
 * 256) and the size of the batch message on the positioned channel.
 */
export const MAX_POSITION_BATCH = 256;

export interface BatchItem {
  fix: Fix;
  idempotencyKey: string;
}

/** `duplicate`: another caller positioned this idempotency key already. */
export type BatchOutcome = 'positioned' | 'duplicate' | PositioningError;

export interface WritePath {
  position(fix: Fix, idempotencyKey: string): Promise<PositionedFix | null>;
  positionBatch(items: readonly BatchItem[]): Promise<BatchOutcome[]>;
  retireLostWrites(uid: string, witnessed: FixPosition): Promise<boolean>;
}

export function createWritePath(
  redis: RedisClient,
  scripts: PositioningScripts,
  options: PositioningOptions,
  events: AckEvents = {},
): WritePath {
  const claims = claimsPrefix(options.keyPrefix);
  // Under Redis Cluster a script may touch only keys of its node's slots, and a plain PUBLISH would go to every
  // node: claims and the positioned channel are per slot there, published with SPUBLISH (slots.ts).
  const cluster = redis instanceof Cluster ? redis : undefined;
  const acks = new AckedPublisher(options.replicaAcks, events);

  /** One script call for all the checked fixes (`lines`), on a single Redis; channel '': return the message. */
  const callSingle = (lines: string[], count: number, channel = options.positionedChannel) =>
    scripts.lodestarPositionBatch(
      claims,
      options.idempotencyTtlMs,
      options.windowMs,
      options.maxLen,
      channel,
      newEpoch(),
      options.keyPrefix,
      count,
      lines.join(''),
    );

  /**
   * A single Redis (or Sentinel's master) with replicas online: the script returns its message, which is
   * published once replicas acknowledged the writes. Without replicas the script publishes, as it always did.
   */
  const batchSingle = async (connection: Redis, lines: string[], count: number) => {
    const needed = await guarded(acks.needed(connection));
    if (needed === 0 && !acks.busy(connection)) return guarded(callSingle(lines, count));
    return acks.run(
      connection,
      needed,
      async () => withMessage(await guarded(callSingle(lines, count, '')), count),
      (message) => connection.publish(options.positionedChannel, message),
    );
  };

  /** A Cluster master's connection (the Cluster client's own, so WAIT follows the script on it). */
  const nodeOf = (key: string) =>
    cluster?.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === key);

  /**
   * Under Cluster: one script call per node, its fixes grouped by slot (position-batch.lua ARGV[9]). The node of a
   * slot is ioredis's current view; a call that reaches a node which no longer owns one of its slots fails before
   * writing, and its fixes are tried again.
   */
  const callCluster = async (
    lines: string[],
    uids: string[],
  ): Promise<((1 | string | null)[] | PositioningError)[]> => {
    const slots = uids.map(slotOf);
    const byNode = new Map<string, number[]>();
    slots.forEach((slot, j) => {
      const node = cluster?.slots[slot]?.[0] ?? '';
      const list = byNode.get(node);
      if (list) list.push(j);
      else byNode.set(node, [j]);
    });
    const answers: ((1 | string | null)[] | PositioningError)[] = [];
    // No slot map yet (the Cluster is still connecting): one call could not know its node; try again later.
    const unknown = byNode.get('');
    byNode.delete('');
    for (const j of unknown ?? [])
      answers[j] = new PositioningError('unavailable', 'the cluster slot map does not name this slot yet');
    await Promise.all(
      [...byNode].map(async ([key, members]) => {
        members.sort((a, b) => (slots[a] as number) - (slots[b] as number));
        let packed = '';
        let groups = '';
        for (let k = 0; k < members.length;) {
          const slot = slots[members[k] as number] as number;
          let n = 0;
          for (; k < members.length && slots[members[k] as number] === slot; k++, n++)
            packed += lines[members[k] as number];
          groups += `${slotClaimsPrefix(options.keyPrefix, slot)}\t${n}\n`;
        }
        const first = slots[members[0] as number] as number;
        const call = (run: PositioningScripts['lodestarPositionBatchCluster'], channel: string) =>
          guarded(
            run(
              slotClaimsPrefix(options.keyPrefix, first),
              options.idempotencyTtlMs,
              options.windowMs,
              options.maxLen,
              channel,
              newEpoch(),
              options.keyPrefix,
              members.length,
              packed,
              groups,
            ),
          );
        const channel = shardedChannel(options.positionedChannel, first);
        try {
          const connection = nodeOf(key);
          const needed = connection ? await guarded(acks.needed(connection)) : 0;
          const replies =
            connection === undefined || (needed === 0 && !acks.busy(connection))
              ? await call((...args) => scripts.lodestarPositionBatchCluster(...args), channel)
              : // On the node's own connection, not routed by the Cluster client: WAIT must follow the script on
                // the connection it ran on. A slot that moved meanwhile is refused (MOVED, ASK) and tried again
                // once the slot map is refreshed.
                await acks
                  .run(
                    connection,
                    needed,
                    async () => withMessage(await call(clusterBatchOn(connection), ''), members.length),
                    (message) => connection.spublish(channel, message),
                  )
                  .catch((error: unknown) => {
                    cluster?.refreshSlotsCache();
                    throw error;
                  });
          if (replies.length !== members.length)
            throw new PositioningError(
              'unavailable',
              `the batch script answered ${replies.length} of ${members.length}`,
            );
          members.forEach((j, k) => (answers[j] = [replies[k] as 1 | string | null]));
        } catch (error) {
          // Whatever failed, nothing is known of these fixes: never read as an answer (it would be `duplicate`).
          const failed = error instanceof PositioningError ? error : refusal(String(error), error);
          for (const j of members) answers[j] = failed;
        }
      }),
    );
    return answers;
  };

  return {
    async position(fix, idempotencyKey) {
      const call = positionCall(fix, idempotencyKey);
      const keys = checkedMemberKeys(options.keyPrefix, fix.uid);
      const slot = cluster ? slotOf(fix.uid) : 0;
      const json = await scripts.lodestarPosition(
        cluster ? slotClaimsPrefix(options.keyPrefix, slot) : claims,
        keys.meta,
        keys.stream,
        keys.byTime,
        call.json,
        call.ts,
        newEpoch(),
        options.idempotencyTtlMs,
        options.windowMs,
        options.maxLen,
        cluster ? shardedChannel(options.positionedChannel, slot) : options.positionedChannel,
        idempotencyClaim(fix.uid, idempotencyKey),
        ...(cluster ? ['1'] : []),
      );
      return json === null ? null : (JSON.parse(json) as PositionedFix);
    },

    async positionBatch(items) {
      if (items.length > MAX_POSITION_BATCH)
        throw new PositioningError('bad_field', `at most ${MAX_POSITION_BATCH} fixes per batch`);
      const outcomes: BatchOutcome[] = new Array<BatchOutcome>(items.length);
      // position-batch.lua: one line per fix, <uid> TAB <ts> TAB <key> TAB <json> LF, in one argument.
      const lines: string[] = [];
      const uids: string[] = [];
      const sent: number[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as BatchItem;
        try {
          const call = positionCall(item.fix, item.idempotencyKey);
          if (/[\t\n]/.test(item.idempotencyKey))
            throw new PositioningError('bad_field', 'the idempotency key must not hold a tab or newline');
          lines.push(`${item.fix.uid}\t${call.ts}\t${item.idempotencyKey}\t${call.json}\n`);
          uids.push(item.fix.uid);
          sent.push(i);
        } catch (error) {
          outcomes[i] = error as PositioningError;
        }
      }
      if (sent.length === 0) return outcomes;
      const answer = (i: number, reply: 1 | string | null | undefined) => {
        if (reply === null || reply === undefined) outcomes[i] = 'duplicate';
        else if (reply === 1) outcomes[i] = 'positioned';
        else outcomes[i] = refusal(String(reply));
      };
      if (cluster) {
        const answers = await callCluster(lines, uids);
        sent.forEach((i, j) => {
          const a = answers[j];
          if (a instanceof PositioningError) outcomes[i] = a;
          else answer(i, a?.[0]);
        });
        return outcomes;
      }
      const replies = await batchSingle(redis as Redis, lines, sent.length);
      if (replies.length !== sent.length)
        throw new PositioningError(
          'unavailable',
          `the batch script answered ${replies.length} of ${sent.length}`,
        );
      sent.forEach((i, j) => answer(i, replies[j]));
      return outcomes;
    },

    async retireLostWrites(uid, witnessed) {
      const keys = checkedMemberKeys(options.keyPrefix, uid);
      const member = await readSnapshot(redis, keys);
      if (!isHeldBeyondRedis(witnessed, member)) return false;
      return (await scripts.lodestarRetireEpoch(keys.meta, witnessed.epoch, witnessed.offset)) === 1;
    },
  };
}

/** A batch script's reply in its no-publish mode: the fixes' replies, then the message to publish. */
function withMessage(
  replies: (1 | string | null)[],
  count: number,
): { replies: (1 | string | null)[]; message: string } {
  if (replies.length !== count + 1)
    throw new PositioningError('unavailable', `the batch script answered ${replies.length - 1} of ${count}`);
  return { replies: replies.slice(0, count), message: String(replies[count] ?? '') };
}

/**
 * Check one fix for position.lua: its JSON without a position. The fix must be canonical (parseRawFix's output,
 * or `fixSchema`-checked by the caller): every field is re-checked here by value (fix-check.ts), without a zod
 * parse per fix, since the batch path runs this for every raw message.
 */
function positionCall(fix: Fix, idempotencyKey: string) {
  const problem = fixProblem(fix, false);
  if (problem !== undefined) throw new PositioningError('bad_field', `not a canonical fix: ${problem}`);
  if (idempotencyKey.length < 1 || idempotencyKey.length > 200) {
    throw new PositioningError('bad_field', 'the idempotency key must be 1-200 characters');
  }
  return {
    json: fixJson(fix.epoch === undefined && fix.offset === undefined ? fix : unpositioned(fix)),
    ts: fix.ts,
  };
}

/**
 * Epoch ids: a random per-process part and a counter, so a member whose history Redis lost never gets an epoch it
 * had before, without paying for random bytes on every fix (the candidate is used only on a member's first fix).
 */
const EPOCH_PROCESS_PART = randomBytes(6).toString('base64url');
let epochCounter = 0;
function newEpoch(): string {
  epochCounter += 1;
  return `${EPOCH_PROCESS_PART}${epochCounter.toString(36)}`;
}

function unpositioned(fix: Fix): Fix {
  const { epoch: _epoch, offset: _offset, ...rest } = fix as PositionedFix;
  return rest;
}
