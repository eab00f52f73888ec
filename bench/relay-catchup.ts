/**
 * Bench: catch-up time through a positioning relay for a station that missed `minutes` of `members` members at
 * 1 Hz. The missed fixes are positioned straight into Redis with the relay's own script (what the relay would have
 * done while the station was away); then one station watches every member with `since` = offset 0 of its epoch
 * and the clock runs from sending the watch to the last `replay_done`.
 */
import type { Redis } from 'ioredis';
import WebSocket from 'ws';
import type { ServerMessage } from '../protocol/messages.js';
import { createPositioning } from '../relay/positioning/positioning.js';

export interface CatchupResult {
  fixes: number;
  /** Watch sent → last replay_done received. */
  ms: number;
  /** Watch sent → first replayed fix received. */
  firstMs: number;
}

/** Position `members × minutes × 60` fixes (1 Hz, ending now) under `keyPrefix`; returns each member's epoch. */
export async function fillMissed(
  redis: Redis,
  keyPrefix: string,
  members: number,
  minutes: number,
): Promise<Map<string, string>> {
  const positioning = createPositioning(redis, { keyPrefix });
  const perMember = minutes * 60;
  const start = Date.now() - perMember * 1000;
  const epochs = new Map<string, string>();
  for (let second = 0; second < perMember; second++) {
    const batch = [];
    for (let m = 1; m <= members; m++) {
      const uid = `c${m}`;
      const fix = {
        uid,
        lat: 23 + second / 1e5,
        lon: 113 + m / 1e4,
        ts: start + second * 1000,
        crs: 'gcj02' as const,
      };
      batch.push(positioning.position(fix, `bench-${uid}-${second}`));
    }
    for (const positioned of await Promise.all(batch))
      if (positioned) epochs.set(positioned.uid, positioned.epoch);
  }
  return epochs;
}

export async function measureCatchup(
  wsUrl: string,
  token: string,
  epochs: Map<string, string>,
): Promise<CatchupResult> {
  const ws = new WebSocket(wsUrl, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  await new Promise((resolve, reject) => {
    ws.once('message', resolve); // welcome
    ws.once('error', reject);
  });
  let fixes = 0;
  let pending = epochs.size;
  let firstAt = NaN;
  const started = performance.now();
  const done = new Promise<number>((resolve) => {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'fix' && message.replay) {
        fixes++;
        if (Number.isNaN(firstAt)) firstAt = performance.now();
      } else if (message.type === 'replay_done' && --pending === 0) resolve(performance.now());
    });
  });
  ws.send(
    JSON.stringify({
      type: 'watch',
      members: [...epochs].map(([uid, epoch]) => ({ uid, since: { epoch, offset: 0 } })),
    }),
  );
  const finished = await done;
  ws.close();
  return { fixes, ms: finished - started, firstMs: firstAt - started };
}
