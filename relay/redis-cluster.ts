/**
 * The relay's pub/sub on Redis Cluster (relay/redis.ts builds it for REDIS_CLUSTER_NODES). It looks like one
 * subscriber connection to the fix sources (`on('message')`, `subscribe`), but underneath:
 *
 * - Sharded channels (the positioned channel): the scripts `SPUBLISH` on one channel per slot, `<channel>{<tag>}`
 *   (relay/positioning/slots.ts), which only the shard owning that slot carries. One connection per master
 *   `SSUBSCRIBE`s the channels of every slot that master owns; each message is handed on as a message of the
 *   channel the sources asked for.
 * - Classic channels (the raw channel PHP publishes on with `PUBLISH`): Cluster carries them to every node, so they
 *   are subscribed on exactly one node (two would deliver every raw message twice): a replica of slot 0's master
 *   if the slot map lists one (its connection survives the master's failover: it is the node promoted), else that
 *   master; the same node for every relay, so all relays see raw messages in the same order. When that node goes
 *   away the subscription moves at once to the next node of the map, not when the cluster has failed over: raw
 *   messages published meanwhile would be lost to the relay.
 *
 * Why not ioredis's own `shardedSubscribers`: the relay must know when it may have missed messages (a master lost,
 * a subscription not yet confirmed) to report itself unready and catch its stations up from Redis afterwards, and
 * ioredis's group resubscribes without confirming. Here `ready()` is true only while every slot's master has a
 * connection whose subscriptions Redis has confirmed, so a failover is an ordinary outage: unready while the
 * master is away, ready once the promoted replica's connection has subscribed, then the usual re-catch-up.
 */
import { EventEmitter } from 'node:events';
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { REDIS_GOODBYE_MS, settleWithin } from './bounded-wait.js';
import { shardedChannel, SLOT_COUNT } from './positioning/slots.js';

interface NodeSubscriber {
  key: string;
  redis: Redis;
  slots: number[];
  /** Bumped on every (re)subscription, so a late confirmation of an older one is ignored. */
  generation: number;
  subscribed: boolean;
  holdsClassic: boolean;
}

export interface ClusterPubSubOptions {
  /** Channels published with SPUBLISH per slot; every other channel subscribed to is a classic one. */
  shardedChannels: readonly string[];
  /** Options of each node connection (password, retry strategy, ...). */
  nodeOptions: RedisOptions;
  /** Called on every change of `ready()`-relevant state. */
  onChange: () => void;
  onReconnecting?: () => void;
  onError?: (error: Error) => void;
}

export class ClusterPubSub extends EventEmitter {
  private readonly nodes = new Map<string, NodeSubscriber>();
  /** The connection that holds the classic channels. */
  private raw: NodeSubscriber | undefined;
  /** Nodes the classic channels left because their connection closed, until a subscription is confirmed. */
  private readonly rawFailed = new Set<string>();
  private readonly sharded = new Set<string>();
  private readonly classic = new Set<string>();
  private closed = false;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ClusterPubSubOptions,
  ) {
    super();
    cluster.on('refresh', () => this.reconcile());
  }

  /** Every slot has a master whose connection has confirmed every subscription. */
  ready(): boolean {
    if (this.closed || this.cluster.status !== 'ready' || this.nodes.size === 0) return false;
    for (const node of this.nodes.values()) if (!node.subscribed) return false;
    if (this.classic.size > 0 && !this.raw?.subscribed) return false;
    // A plain loop: the slot map is a sparse array, and `every` would skip its holes.
    for (let slot = 0; slot < SLOT_COUNT; slot++)
      if (this.cluster.slots[slot]?.[0] === undefined) return false;
    return true;
  }

  async subscribe(...channels: string[]): Promise<void> {
    for (const c of channels) (this.options.shardedChannels.includes(c) ? this.sharded : this.classic).add(c);
    for (const node of this.nodes.values()) this.resubscribe(node);
    if (this.raw) this.resubscribe(this.raw);
  }

  async unsubscribe(...channels: string[]): Promise<void> {
    for (const c of channels) {
      this.sharded.delete(c);
      this.classic.delete(c);
    }
    for (const node of [...this.nodes.values(), ...(this.raw ? [this.raw] : [])]) {
      if (node.redis.status !== 'ready') continue;
      for (const c of channels) {
        if (!this.options.shardedChannels.includes(c)) void node.redis.unsubscribe(c).catch(() => undefined);
        else
          for (const slot of node.slots)
            void node.redis.sunsubscribe(shardedChannel(c, slot)).catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    const all = [...this.nodes.values(), ...(this.raw ? [this.raw] : [])];
    await Promise.all(all.map((n) => settleWithin(n.redis.quit(), REDIS_GOODBYE_MS)));
    for (const n of all) n.redis.disconnect();
    this.nodes.clear();
    this.raw = undefined;
  }

  /** Follow the cluster's slot map: one connection per master, each with the slots it owns. */
  private reconcile(): void {
    if (this.closed) return;
    const owned = new Map<string, number[]>();
    this.cluster.slots.forEach((keys, slot) => {
      const master = keys?.[0];
      if (master === undefined) return;
      const list = owned.get(master);
      if (list) list.push(slot);
      else owned.set(master, [slot]);
    });
    // A holder that cannot be reached (not one that was serving: that one moved when it closed) is left on each
    // refresh, which comes every 250 ms while the relay is unready: a bounded pace even with every node down.
    const status = this.raw?.redis.status;
    if (!this.raw || status === 'reconnecting' || status === 'end') this.moveRaw();
    for (const [key, node] of this.nodes) {
      if (owned.has(key)) continue;
      this.nodes.delete(key);
      node.redis.disconnect();
    }
    for (const [key, slots] of owned) {
      let node = this.nodes.get(key);
      if (!node) {
        node = this.connect(key, slots);
        this.nodes.set(key, node);
      }
      if (node.slots.join(',') === slots.join(',')) continue;
      node.slots = slots;
      this.resubscribe(node);
    }
    this.options.onChange();
  }

  private connect(key: string, slots: number[]): NodeSubscriber {
    const at = key.lastIndexOf(':');
    const redis = new Redis({
      ...this.options.nodeOptions,
      host: key.slice(0, at),
      port: Number(key.slice(at + 1)),
      // Subscriptions are made here, on every `ready`, and confirmed before the node counts as ready.
      autoResubscribe: false,
    });
    const node: NodeSubscriber = { key, redis, slots, generation: 0, subscribed: false, holdsClassic: false };
    redis.on('ready', () => this.resubscribe(node));
    const lost = () => {
      const wasServing = node.subscribed;
      node.generation++;
      if (node.subscribed) {
        node.subscribed = false;
        this.options.onChange();
      }
      // A master that went away may have been replaced: ask the cluster until its map shows who owns the slots.
      this.scheduleRefresh();
      // The classic channels' node went away while serving: move them at once, raw messages are being published.
      if (node === this.raw && wasServing && !this.closed) this.moveRaw();
    };
    redis.on('close', lost);
    redis.on('reconnecting', () => this.options.onReconnecting?.());
    redis.on('error', (error: Error) => this.options.onError?.(error));
    redis.on('smessage', (channel: string, message: string) => this.onSharded(channel, message));
    redis.on('message', (channel: string, message: string) => this.emit('message', channel, message));
    return node;
  }

  /**
   * Put the classic channels on the first candidate node that has not just failed: slot 0's replicas, then its
   * master, then every other node of the map, in a fixed order. The old connection goes first: never two at once.
   */
  private moveRaw(): void {
    if (this.raw) {
      this.rawFailed.add(this.raw.key);
      this.raw.redis.disconnect();
      this.raw = undefined;
    }
    const first = this.cluster.slots[0] ?? [];
    const others = this.cluster
      .nodes('all')
      .map((n) => `${n.options.host}:${n.options.port}`)
      .sort();
    const candidates = [...new Set([...first.slice(1), ...first.slice(0, 1), ...others])];
    let key = candidates.find((k) => !this.rawFailed.has(k));
    if (key === undefined) {
      // Every node failed once: start the round again (the cluster may be back).
      this.rawFailed.clear();
      key = candidates[0];
    }
    if (key === undefined) return;
    this.raw = this.connect(key, []);
    this.raw.holdsClassic = true;
  }

  private onSharded(channel: string, message: string): void {
    const open = channel.lastIndexOf('{');
    if (open > 0) this.emit('message', channel.slice(0, open), message);
  }

  private resubscribe(node: NodeSubscriber): void {
    const generation = ++node.generation;
    if (node.subscribed) {
      node.subscribed = false;
      this.options.onChange();
    }
    if (node.redis.status !== 'ready' || this.closed) return;
    const work: Promise<unknown>[] = [];
    // One SSUBSCRIBE per slot: Redis takes shard channels of one slot per call.
    for (const channel of this.sharded)
      for (const slot of node.slots) work.push(node.redis.ssubscribe(shardedChannel(channel, slot)));
    if (node.holdsClassic && this.classic.size) work.push(node.redis.subscribe(...this.classic));
    Promise.all(work).then(
      () => {
        if (generation !== node.generation || node.redis.status !== 'ready') return;
        node.subscribed = true;
        if (node === this.raw) this.rawFailed.clear();
        this.options.onChange();
      },
      // A slot that moved meanwhile (MOVED) or a lost connection: the next refresh or `ready` subscribes again.
      () => this.scheduleRefresh(),
    );
  }

  private scheduleRefresh(): void {
    if (this.closed || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.closed) return;
      this.cluster.refreshSlotsCache();
      if (!this.ready()) this.scheduleRefresh();
    }, 250);
  }
}
