/**
 * Publish a batch's positions only once replicas hold its writes (replica-acks.ts says why). Per connection to a
 * master (the one server's command connection, or one Cluster node's): how many replicas count (seen online in
 * `INFO replication` within REPLICA_GRACE_MS; looked at again at most every REPLICAS_MAX_AGE_MS while batches flow
 * and after every short WAIT), whether it was replaced since a script ran on it, and the order publishes go out in.
 *
 * Why the script's reply is awaited before WAIT is sent rather than pipelined with it: ioredis sends a script
 * again as EVAL when the server answers NOSCRIPT, outside any pipeline, so a pipelined WAIT could come back before
 * the writes it was meant to cover. Sent after the reply on the same connection, WAIT covers them whatever path the
 * script took (WAIT waits for the connection's own latest write, which cannot be older than the script's).
 */
import type { Redis } from 'ioredis';
import { PositioningError } from './errors.js';
import {
  acksNeeded,
  afterWait,
  countedReplicas,
  onlineReplicas,
  WAIT_TIMEOUT_MS,
  type ReplicaAcksSetting,
} from './replica-acks.js';

/** How old a connection's replica count may be when a batch starts (it is looked at again in the background). */
const REPLICAS_MAX_AGE_MS = 1000;

/** A WAIT that came back short while the master was still there. */
export interface AckShortfall {
  /** `host:port` of the master. */
  node: string;
  needed: number;
  acked: number;
  /** How long the batch has waited so far, ms. */
  waitedMs: number;
}

export interface AckEvents {
  /** Called once per short WAIT (each one WAIT_TIMEOUT_MS) that leaves batches waiting, not per batch or fix. */
  onShortfall?(shortfall: AckShortfall): void;
}

interface ConnectionState {
  /** Bumped when the connection closes: a WAIT on its next socket would not cover earlier writes. */
  generation: number;
  replicas: number | undefined;
  /** Each replica ever seen online on this connection, and when it last was. */
  lastSeen: Map<string, number>;
  checkedAt: number;
  checking: Promise<number> | undefined;
  /** Resolves once every batch sent before the latest one has published (or given up). */
  tail: Promise<void>;
  /** Batches between their script and their publish. */
  pending: number;
  /** Batches whose script answered, waiting for the next WAIT. */
  waiting: Waiting[];
  /** A WAIT loop is running on this connection. */
  waiter: boolean;
}

interface Waiting {
  needed: number;
  generation: number;
  startedAt: number;
  resolve(): void;
  reject(error: Error): void;
}

export class AckedPublisher {
  private readonly states = new WeakMap<Redis, ConnectionState>();

  constructor(
    private readonly setting: ReplicaAcksSetting,
    private readonly events: AckEvents = {},
  ) {}

  /**
   * How many replicas' acknowledgements a batch sent now on `connection` needs: 0 means none (no replica online,
   * or acks are off): the script then publishes by itself, as on a single Redis.
   */
  async needed(connection: Redis): Promise<number> {
    if (this.setting === 0) return 0;
    const state = this.state(connection);
    if (state.replicas === undefined) return acksNeeded(this.setting, await this.lookAtReplicas(connection));
    if (Date.now() - state.checkedAt > REPLICAS_MAX_AGE_MS)
      void this.lookAtReplicas(connection).catch(() => 0);
    return acksNeeded(this.setting, state.replicas);
  }

  /**
   * Batches on `connection` still waiting to publish: a batch that needs no acknowledgement must then still go
   * through `run`, or its script's own publish would overtake theirs (a member's fixes out of order).
   */
  busy(connection: Redis): boolean {
    return (this.states.get(connection)?.pending ?? 0) > 0;
  }

  /**
   * Run a batch script in its no-publish mode on `connection` (`script` returns the replies and the message it
   * would have published), wait until `needed` replicas acknowledged its writes, then `publish` the message, after
   * the messages of every batch sent before it on this connection. Throws `unavailable` when the WAIT fails or
   * the connection was replaced: the caller holds the batch and tries again.
   */
  async run<R>(
    connection: Redis,
    needed: number,
    script: () => Promise<{ replies: R; message: string }>,
    publish: (message: string) => Promise<unknown>,
  ): Promise<R> {
    const state = this.state(connection);
    const generation = state.generation;
    const before = state.tail;
    let release!: () => void;
    state.tail = new Promise((resolve) => (release = resolve));
    state.pending++;
    try {
      const { replies, message } = await script();
      // Nothing positioned (every fix a duplicate or refused): nothing to wait for, nothing to publish.
      if (message === '') return replies;
      if (needed > 0) await this.acknowledged(connection, state, needed, generation);
      await before;
      // Not awaited: the command is written now, after the earlier batches' publishes on this connection, and a
      // failed publish (the connection went away) is covered by the relay's re-catch-up from Redis afterwards.
      publish(message).catch(() => undefined);
      return replies;
    } finally {
      state.pending--;
      void before.then(release);
    }
  }

  /**
   * Resolves once `needed` replicas acknowledged what this connection wrote so far. One WAIT at a time per
   * connection, covering every batch whose script had answered when it was sent (WAIT waits for the connection's
   * latest write): a WAIT blocks its connection, and one per batch would queue up behind each other while a
   * replica is away, holding every other command on that connection for their sum.
   */
  private acknowledged(connection: Redis, state: ConnectionState, needed: number, generation: number) {
    return new Promise<void>((resolve, reject) => {
      state.waiting.push({ needed, generation, startedAt: Date.now(), resolve, reject });
      if (!state.waiter) void this.waitLoop(connection, state);
    });
  }

  private async waitLoop(connection: Redis, state: ConnectionState): Promise<void> {
    state.waiter = true;
    try {
      while (state.waiting.length > 0) {
        const round = state.waiting.splice(0);
        const needed = Math.max(...round.map((b) => b.needed));
        const acked = await connection.wait(needed, WAIT_TIMEOUT_MS).then(
          (n) => Number(n),
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        const short = typeof acked === 'number' && acked < needed;
        const replicasNow = short ? await this.lookAtReplicas(connection).catch(() => undefined) : undefined;
        const again: Waiting[] = [];
        for (const batch of round) {
          const verdict = afterWait({
            setting: this.setting,
            needed: batch.needed,
            acked,
            sameConnection: state.generation === batch.generation,
            ...(replicasNow === undefined ? {} : { replicasNow }),
          });
          if (verdict === 'publish') batch.resolve();
          else if (verdict === 'wait_again') again.push(batch);
          else
            batch.reject(
              new PositioningError(
                'unavailable',
                acked instanceof Error
                  ? `WAIT for replicas failed: ${acked.message}`
                  : 'the connection was replaced before replicas acknowledged the batch',
              ),
            );
        }
        if (again.length > 0) {
          this.events.onShortfall?.({
            node: `${connection.options.host}:${connection.options.port}`,
            needed,
            acked: acked as number,
            waitedMs: Date.now() - Math.min(...again.map((b) => b.startedAt)),
          });
          state.waiting.unshift(...again);
        }
      }
    } finally {
      state.waiter = false;
    }
  }

  private state(connection: Redis): ConnectionState {
    let state = this.states.get(connection);
    if (!state) {
      const fresh: ConnectionState = {
        generation: 0,
        replicas: undefined,
        lastSeen: new Map(),
        checkedAt: 0,
        checking: undefined,
        tail: Promise.resolve(),
        pending: 0,
        waiting: [],
        waiter: false,
      };
      // After a reconnect the server may be another one (Sentinel's promoted replica), with other replicas.
      connection.on('close', () => {
        fresh.generation++;
        fresh.replicas = undefined;
        fresh.lastSeen.clear();
      });
      this.states.set(connection, fresh);
      state = fresh;
    }
    return state;
  }

  private lookAtReplicas(connection: Redis): Promise<number> {
    const state = this.state(connection);
    state.checking ??= connection
      .info('replication')
      .then((info) => {
        const now = Date.now();
        for (const replica of onlineReplicas(info)) state.lastSeen.set(replica, now);
        const n = countedReplicas(state.lastSeen, now);
        state.replicas = n;
        state.checkedAt = now;
        return n;
      })
      .finally(() => (state.checking = undefined));
    return state.checking;
  }
}
