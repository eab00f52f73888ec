/**
 * The relay's pub/sub on Redis Cluster (relay/redis.ts builds it for REDIS_CLUSTER_NODES). It looks like one
 * subscriber connection to the fix sources (`on('message')`, `subscribe`), but underneath:
 *
 * - Sharded channels (the positioned channel): the scripts `SPUBLISH` on one channel per slot, `<channel>{<tag>}`
 *   (relay/positioning/slots.ts), which only the shard owning that slot carries. One connection per master
 *   `SSUBSCRIBE`s the channels of every slot that master owns; each message is handed on as a message of the
 *   channel the sources asked for.
 * - Classic channels (the raw channel PHP publishes on with `PUBLISH`): Cluster carries them to every node, so they
 *   are subscribed on exactly one master's connection (two would deliver every raw message twice).
 *
 * Why not ioredis's own `shardedSubscribers`: the relay must know when it may have missed messages (a master lost,
 * a subscription not yet confirmed) to report itself unready and catch its stations up from Redis afterwards, and
 * ioredis's group resubscribes without confirming. Here `ready()` is true only while every slot's master has a
 * connection whose subscriptions Redis has confirmed, so a failover is an ordinary outage: unready while the
 * master is away, ready once the promoted replica's connection has subscribed, then the usual re-catch-up.
 */
import { EventEmitter } from 'node:events';
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { shardedChannel, SLOT_COUNT } from './positioning/slots.js';

interface NodeSubscriber {
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
    return this.cluster.slots.length === SLOT_COUNT && this.cluster.slots.every((s) => s?.[0] !== undefined);
  }

  async subscribe(...channels: string[]): Promise<void> {
    for (const c of channels) (this.options.shardedChannels.includes(c) ? this.sharded : this.classic).add(c);
    for (const node of this.nodes.values()) this.resubscribe(node);
  }

  async unsubscribe(...channels: string[]): Promise<void> {
    for (const c of channels) {
      this.sharded.delete(c);
      this.classic.delete(c);
    }
    for (const node of this.nodes.values())
      if (node.redis.status === 'ready')
        for (const c of channels) void node.redis.unsubscribe(c).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    await Promise.allSettled([...this.nodes.values()].map((n) => n.redis.quit()));
    for (const n of this.nodes.values()) n.redis.disconnect();
    this.nodes.clear();
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
    // The classic channels go on the master of the lowest slot: any one node would do, but only one.
    const classicHolder = [...owned.entries()].sort(
      (a, b) => (a[1][0] as number) - (b[1][0] as number),
    )[0]?.[0];
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
      const holds = key === classicHolder;
      const moved = node.slots.join(',') !== slots.join(',');
      if (!moved && node.holdsClassic === holds) continue;
      if (node.holdsClassic && !holds && node.redis.status === 'ready')
        for (const c of this.classic) void node.redis.unsubscribe(c).catch(() => undefined);
      node.slots = slots;
      node.holdsClassic = holds;
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
    const node: NodeSubscriber = { redis, slots, generation: 0, subscribed: false, holdsClassic: false };
    redis.on('ready', () => this.resubscribe(node));
    const lost = () => {
      node.generation++;
      if (node.subscribed) {
        node.subscribed = false;
        this.options.onChange();
      }
      // A master that went away may have been replaced: ask the cluster until its map shows who owns the slots.
      this.scheduleRefresh();
    };
    redis.on('close', lost);
    redis.on('reconnecting', () => this.options.onReconnecting?.());
    redis.on('error', (error: Error) => this.options.onError?.(error));
    redis.on('smessage', (channel: string, message: string) => this.onSharded(channel, message));
    redis.on('message', (channel: string, message: string) => this.emit('message', channel, message));
    return node;
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
