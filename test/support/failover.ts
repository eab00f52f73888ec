/**
 * What the failover tests (Sentinel, Cluster) check alike: /readyz sampled through the outage, and every station
 * holding, per member, exactly what Redis holds of the member's current epoch, with no silent hole
 * (station-audit.ts), up to the member's latest position.
 */
import { expect } from 'vitest';
import type { PositionedFix } from '../../protocol/fix.js';
import type { ServerMessage } from '../../protocol/messages.js';
import type { Positioning } from '../../relay/positioning/positioning.js';
import type { TestStation } from './relay.js';
import { auditStation } from './station-audit.js';

export interface ReadinessLog {
  /** Stop sampling; resolves with every sample taken. */
  stop(): Promise<{ at: number; status: number }[]>;
}

/** Sample `GET /readyz` every 50 ms (status 0: no answer). */
export function sampleReadiness(httpUrl: string): ReadinessLog {
  const samples: { at: number; status: number }[] = [];
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const status = await fetch(`${httpUrl}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      samples.push({ at: Date.now(), status });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      sampling = false;
      await loop;
      return samples;
    },
  };
}

/** /readyz answered 503 at some point after `since`, and 200 at the end. */
export function expectReadinessFollowed(samples: { at: number; status: number }[], since: number): void {
  expect(
    samples.filter((r) => r.at >= since).some((r) => r.status === 503),
    'not ready while the master is away',
  ).toBe(true);
  expect(samples.at(-1)?.status, 'ready again on the promoted master').toBe(200);
}

/**
 * Wait until every station holds each member's latest position in Redis, then check each station's messages per
 * member: no problem in the audit, and the fixes it holds of the current epoch are Redis's, offset for offset.
 * Returns how many `epoch_changed` notices the stations got.
 */
export async function expectStationsHoldRedis(
  stations: readonly TestStation[],
  uids: readonly string[],
  positioning: Positioning,
  timeoutMs = 30_000,
): Promise<number> {
  const latest = new Map<string, PositionedFix>();
  for (const uid of uids) latest.set(uid, (await positioning.latest(uid)) as PositionedFix);
  const heldLatest = (station: TestStation, uid: string) => {
    const fixes = station.all('fix').filter((m) => m.fix.uid === uid);
    const last = fixes.at(-1)?.fix as PositionedFix | undefined;
    const want = latest.get(uid);
    return last?.epoch === want?.epoch && last?.offset === want?.offset;
  };
  await expect
    .poll(() => stations.every((s) => uids.every((uid) => heldLatest(s, uid))), { timeout: timeoutMs })
    .toBe(true);

  let epochChanges = 0;
  for (const [index, station] of stations.entries()) {
    for (const uid of uids) {
      const audit = auditStation(station.received as ServerMessage[], uid);
      expect(audit.problems, `station ${index}, member ${uid}`).toEqual([]);
      epochChanges += audit.epochChanges;
      // What the station holds of the member's current epoch is what Redis holds at those offsets.
      const want = latest.get(uid) as PositionedFix;
      const held = audit.fixes.filter((f) => f.epoch === want.epoch);
      const first = held[0]?.offset ?? want.offset;
      const stored = await positioning.range(uid, want.epoch, first, want.offset);
      expect(
        held.map((f) => [f.offset, f.ts]),
        `station ${index}, member ${uid}`,
      ).toEqual(stored.fixes.map((f) => [f.offset, f.ts]));
    }
  }
  return epochChanges;
}

export interface SteadyLoad {
  /** Sends Redis has answered so far. */
  readonly answered: number;
  /** Stops sending and resolves once every send in flight was answered. */
  stop(): Promise<void>;
}

/**
 * 200 fixes/s through a failover: 10 every 50 ms, round-robin over `uids`, each `send` tried again every 50 ms
 * until Redis answers, as PHP would. `ts` is unique per send (a base time plus the send's number).
 */
export function steadyLoad(
  uids: readonly string[],
  send: (uid: string, ts: number) => Promise<unknown>,
): SteadyLoad {
  let seq = 0;
  let answered = 0;
  const inflight = new Set<Promise<void>>();
  const untilAnswered = async (uid: string, ts: number) => {
    for (;;) {
      try {
        await send(uid, ts);
        answered++;
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const base = Date.now();
  const timer = setInterval(() => {
    for (let i = 0; i < 10; i++) {
      const n = seq++;
      const p = untilAnswered(uids[n % uids.length] as string, base + n);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }, 50);
  return {
    get answered() {
      return answered;
    },
    async stop() {
      clearInterval(timer);
      while (inflight.size) await Promise.all([...inflight]);
    },
  };
}
