/**
 * Both ends of a positioning check: a publisher that PUBLISHes raw PHP-style fixes and remembers what it sent, and a
 * protocol-level station that keeps every fix it receives and the last position per member, and re-watches with
 * `since` (what a real station does after a reconnect).
 */
import type { Redis } from 'ioredis';
import type { FixPosition, PositionedFix } from '../../protocol/fix.js';
import type { ServerMessage } from '../../protocol/messages.js';
import { connectStation, type TestStation } from './relay.js';

export interface Publisher {
  /** Published `ts` per member, in publish order (each `ts` is unique, so no two messages have the same bytes). */
  published: Map<string, number[]>;
  /** Stop and wait for the last PUBLISH to be answered. */
  stop(): Promise<void>;
}

/**
 * `perSecond` raw fixes in total, spread round-robin over `uids`, in ticks of 50 ms, on `channel`. Timestamps are
 * `Date.now()`-based and strictly increasing, so each message is distinct and order is visible in `ts`.
 */
export function startPublisher(redis: Redis, channel: string, uids: string[], perSecond: number): Publisher {
  const published = new Map<string, number[]>(uids.map((u) => [u, []]));
  const perTick = Math.max(1, Math.round(perSecond / 20));
  let seq = 0;
  let next = 0;
  const base = Date.now();
  let inflight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < perTick; i++) {
      const uid = uids[next++ % uids.length] as string;
      const ts = base + seq++;
      published.get(uid)?.push(ts);
      pipeline.publish(
        channel,
        JSON.stringify({
          uid: Number(uid),
          longitude: '113.3',
          latitude: (23 + (seq % 1000) / 1e4).toFixed(4),
          ts,
        }),
      );
    }
    inflight = pipeline.exec();
  }, 50);
  return {
    published,
    async stop() {
      clearInterval(timer);
      await inflight;
    },
  };
}

/** A station that remembers every fix (replayed or live) and the last position per member, across connections. */
export class TrackingStation {
  readonly fixes = new Map<string, PositionedFix[]>();
  readonly held = new Map<string, FixPosition>();
  /** Every message of every connection, in order. */
  readonly messages: ServerMessage[] = [];
  station: TestStation | undefined;

  constructor(private readonly token: string) {}

  /** Connect to a relay and watch `uids`, each with `since` = the last position held for it. */
  async watch(wsUrl: string, uids: string[], id = 'w'): Promise<TestStation> {
    const station = await connectStation(wsUrl, this.token);
    this.station = station;
    station.ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push(message);
      if (message.type === 'fix') this.keep(message.fix as PositionedFix);
    });
    station.send({
      type: 'watch',
      id,
      members: uids.map((uid) => {
        const since = this.held.get(uid);
        return since ? { uid, since } : { uid };
      }),
    });
    await Promise.all(
      uids.map((uid) => station.next('watched', (m) => m.uid === uid && m.id === id, 15_000)),
    );
    return station;
  }

  private keep(fix: PositionedFix): void {
    let list = this.fixes.get(fix.uid);
    if (!list) this.fixes.set(fix.uid, (list = []));
    list.push(fix);
    this.held.set(fix.uid, { epoch: fix.epoch, offset: fix.offset });
  }

  count(): number {
    let n = 0;
    for (const list of this.fixes.values()) n += list.length;
    return n;
  }
}
