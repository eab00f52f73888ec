/**
 * The relay client against a real websocket server scripted by each test (the relay's behaviour at its edges:
 * refusals, close codes, silence, bad frames, offset jumps), so every branch is driven on purpose. The full
 * pipeline against the real relay is in electron/core/station.relay.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Fix, FixPosition } from '../../../protocol/fix.js';
import { settled, until } from '../../../test/support/wait.js';
import { RelayClient, type ReceivedFixes, type RelayStatus } from './client.js';

interface Conn {
  ws: WebSocket;
  authorization: string | undefined;
  received: Record<string, unknown>[];
}

let server: Server;
let wss: WebSocketServer;
let url: string;
const conns: Conn[] = [];
let refuseWith: { status: number; code: string } | undefined;
const waiters: (() => void)[] = [];

const limits = {
  maxPayload: 65536,
  maxWatched: 1000,
  historyPageMax: 1000,
  replayMax: 10000,
  windowMs: 86_400_000,
};

function welcome(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'welcome',
    relayId: 'test-relay',
    operator: 'alice',
    members: '*',
    expiresAt: Date.now() + 3_600_000,
    heartbeatMs: 10_000,
    degraded: false,
    positioning: false,
    limits,
    ...overrides,
  });
}

function fix(uid: string, ts: number, position?: FixPosition): Fix {
  return { uid, lat: 23.1, lon: 113.3, ts, crs: 'gcj02', ...position };
}

beforeAll(async () => {
  server = createServer();
  wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (refuseWith) {
      const body = JSON.stringify({ error: { code: refuseWith.code, message: 'refused' } });
      socket.end(
        `HTTP/1.1 ${refuseWith.status} Unauthorized\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, authorization: req.headers.authorization, received: [] };
      ws.on('message', (data) => conn.received.push(JSON.parse(String(data)) as Record<string, unknown>));
      conns.push(conn);
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  wss.close();
  await new Promise((r) => server.close(r));
});

let client: RelayClient | undefined;
afterEach(() => {
  client?.stop();
  client = undefined;
  refuseWith = undefined;
  for (const c of conns.splice(0)) c.ws.terminate();
});

function startClient(options: {
  members?: string[];
  positions?: Map<string, FixPosition>;
  tokens?: string[];
}): { statuses: RelayStatus[]; batches: ReceivedFixes[]; tokenReasons: string[] } {
  const statuses: RelayStatus[] = [];
  const batches: ReceivedFixes[] = [];
  const tokenReasons: string[] = [];
  const tokens = options.tokens ?? ['token-1'];
  client = new RelayClient({
    url,
    logger: pino({ level: 'silent' }),
    tokenProvider: (reason) => {
      tokenReasons.push(reason);
      return tokens[Math.min(tokenReasons.length - 1, tokens.length - 1)];
    },
    members: () => options.members ?? ['42'],
    positions: (uids) =>
      new Map([...(options.positions ?? new Map<string, FixPosition>())].filter(([u]) => uids.includes(u))),
    backoff: { baseMs: 20, maxMs: 100 },
  });
  client.onStatus((s) => statuses.push(s));
  client.onFixes((b) => batches.push(b));
  client.start();
  return { statuses, batches, tokenReasons };
}

describe('RelayClient', () => {
  it('sends the token in the Authorization header and watches after welcome (no since without positioning)', async () => {
    const { statuses } = startClient({
      members: ['42', '43'],
      positions: new Map([['42', { epoch: 'e', offset: 3 }]]),
    });
    const conn = await until(() => conns[0]);
    expect(conn.authorization).toBe('Bearer token-1');
    conn.ws.send(welcome());
    const watch = await until(() => conn.received.find((m) => m.type === 'watch'));
    expect(watch.members).toEqual([{ uid: '42' }, { uid: '43' }]);
    expect(statuses.at(-1)?.state).toBe('connected');
  });

  it('watches with the stored position as since when the relay positions fixes', async () => {
    startClient({ members: ['42', '43'], positions: new Map([['42', { epoch: 'e1', offset: 7 }]]) });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ positioning: true }));
    const watch = await until(() => conn.received.find((m) => m.type === 'watch'));
    expect(watch.members).toEqual([{ uid: '42', since: { epoch: 'e1', offset: 7 } }, { uid: '43' }]);
  });

  it('counts and drops invalid frames, and keeps delivering valid fixes', async () => {
    const { batches } = startClient({});
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome());
    conn.ws.send('not json');
    conn.ws.send(
      JSON.stringify({ type: 'fix', fix: { uid: '42', lat: 999, lon: 113, ts: 1, crs: 'gcj02' } }),
    );
    conn.ws.send(JSON.stringify({ type: 'no_such_type' }));
    conn.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    conn.ws.send(JSON.stringify({ type: 'fix', fix: fix('42', 1_800_000_000_000) }));
    await until(() => batches.length === 1);
    expect(batches[0]).toEqual({ fixes: [fix('42', 1_800_000_000_000)], replay: false });
    expect(client?.counters.invalidFrames).toBe(4);
    expect(client?.status.state).toBe('connected');
  });

  it('delivers the latest fix a watch answers with as arrived, not replayed (it fills in no gap)', async () => {
    const { batches } = startClient({ members: ['42'] });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome());
    await until(() => conn.received.find((m) => m.type === 'watch'));
    const latest = fix('42', 1_800_000_000_000);
    conn.ws.send(JSON.stringify({ type: 'watched', uid: '42', latest, catchup: { status: 'live' } }));
    await until(() => batches.length === 1);
    expect(batches[0]).toEqual({ fixes: [latest], replay: false });
  });

  it('asks for the missing range when offsets jump, and delivers the reply as replayed fixes', async () => {
    const { batches } = startClient({ positions: new Map([['42', { epoch: 'e1', offset: 4 }]]) });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ positioning: true }));
    await until(() => conn.received.find((m) => m.type === 'watch'));
    conn.ws.send(
      JSON.stringify({ type: 'fix', fix: fix('42', 1_800_000_005_000, { epoch: 'e1', offset: 5 }) }),
    );
    conn.ws.send(
      JSON.stringify({ type: 'fix', fix: fix('42', 1_800_000_008_000, { epoch: 'e1', offset: 8 }) }),
    );
    const range = await until(() => conn.received.find((m) => m.type === 'range'));
    expect(range).toMatchObject({ uid: '42', epoch: 'e1', from: 6, to: 7 });
    const missing = [
      fix('42', 1_800_000_006_000, { epoch: 'e1', offset: 6 }),
      fix('42', 1_800_000_007_000, { epoch: 'e1', offset: 7 }),
    ];
    conn.ws.send(
      JSON.stringify({ type: 'range', id: range.id, uid: '42', epoch: 'e1', fixes: missing, complete: true }),
    );
    await until(() => batches.length === 3);
    expect(batches[2]).toEqual({ fixes: missing, replay: true });
    expect(conn.received.filter((m) => m.type === 'range')).toHaveLength(1);
  });

  it('asks for many members’ jumps at once with one catch-up watch, and takes the replay as caught up', async () => {
    const uids = Array.from({ length: 10 }, (_, i) => String(60 + i));
    startClient({
      members: uids,
      positions: new Map(uids.map((uid) => [uid, { epoch: 'e1', offset: 4 }])),
    });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ positioning: true }));
    await until(() => conn.received.find((m) => m.type === 'watch'));
    // The relay coalesced a slow station's fixes: every member's next fix comes four offsets on.
    for (const uid of uids) {
      conn.ws.send(
        JSON.stringify({ type: 'fix', fix: fix(uid, 1_800_000_008_000, { epoch: 'e1', offset: 8 }) }),
      );
    }
    const watches = (): Record<string, unknown>[] => conn.received.filter((m) => m.type === 'watch');
    await until(() => watches().length === 2);
    expect(watches()[1]?.members).toEqual(uids.map((uid) => ({ uid, since: { epoch: 'e1', offset: 4 } })));
    expect(conn.received.filter((m) => m.type === 'range')).toHaveLength(0);
    expect(client?.counters.gapCatchups).toBe(10);
    // The catch-up replays 5..8 (8 came live already), then live fixes go on from 9: nothing more is asked.
    for (const uid of uids) {
      for (const offset of [5, 6, 7, 8]) {
        const replayed = fix(uid, 1_800_000_000_000 + offset * 1000, { epoch: 'e1', offset });
        conn.ws.send(JSON.stringify({ type: 'fix', fix: replayed, replay: true }));
      }
      conn.ws.send(
        JSON.stringify({ type: 'fix', fix: fix(uid, 1_800_000_009_000, { epoch: 'e1', offset: 9 }) }),
      );
    }
    conn.ws.send(
      JSON.stringify({ type: 'fix', fix: fix('69', 1_800_000_010_000, { epoch: 'e1', offset: 10 }) }),
    );
    await until(() => (client?.counters.fixesReceived ?? 0) >= 10 + 40 + 10 + 1);
    // Nothing more goes out (a jump would, GAP_GATHER_MS after the fix that showed it).
    await settled(() => conn.received.length, 300);
    expect(watches()).toHaveLength(2);
    expect(conn.received.filter((m) => m.type === 'range')).toHaveLength(0);
  });

  it('does not watch again, with its catch-up watch, a member unwatched while its jump was gathered', async () => {
    const uids = Array.from({ length: 10 }, (_, i) => String(60 + i));
    startClient({
      members: uids,
      positions: new Map(uids.map((uid) => [uid, { epoch: 'e1', offset: 4 }])),
    });
    // The operator stops watching member 60 right after its jumped fix arrived, before the jumps go out.
    client!.onFixes((batch) => {
      if (batch.fixes.some((f) => f.uid === '60')) void client!.unwatch(['60']);
    });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ positioning: true }));
    await until(() => conn.received.find((m) => m.type === 'watch'));
    for (const uid of uids) {
      conn.ws.send(
        JSON.stringify({ type: 'fix', fix: fix(uid, 1_800_000_008_000, { epoch: 'e1', offset: 8 }) }),
      );
    }
    const watches = (): Record<string, unknown>[] => conn.received.filter((m) => m.type === 'watch');
    await until(() => watches().length === 2);
    expect(conn.received.find((m) => m.type === 'unwatch')?.members).toEqual(['60']);
    const asked = (watches()[1]?.members as { uid: string }[]).map((m) => m.uid);
    expect(asked).toEqual(uids.slice(1));
  });

  it('answers a watch from the relay’s replies to its id: watched, refused per member, refused as a whole', async () => {
    startClient({ members: [] });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome());
    await until(() => client?.status.state === 'connected');
    const answered = client!.watch(['1', '2', '3']);
    const watch = await until(() => conn.received.find((m) => m.type === 'watch'));
    const id = watch.id as string;
    expect(id).toBeTruthy();
    conn.ws.send(
      JSON.stringify({ type: 'watched', id, uid: '1', latest: null, catchup: { status: 'live' } }),
    );
    const refusal = { type: 'error', id, code: 'too_many_members', message: 'at most 1' };
    conn.ws.send(JSON.stringify({ ...refusal, uid: '2' }));
    conn.ws.send(
      JSON.stringify({ type: 'watched', id: 'other', uid: '3', latest: null, catchup: { status: 'live' } }),
    );
    conn.ws.send(JSON.stringify({ type: 'error', id, code: 'rate_limited', message: 'slow down' }));
    expect(await answered).toEqual([
      { uid: '1', answer: 'ok' },
      { uid: '2', answer: 'refused', code: 'too_many_members', message: 'at most 1' },
      { uid: '3', answer: 'refused', code: 'rate_limited', message: 'slow down' },
    ]);
  });

  it('answers unwatch on the relay’s confirmation, and leaves requests unanswered when the connection ends', async () => {
    startClient({ members: [] });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome());
    await until(() => client?.status.state === 'connected');
    const unwatched = client!.unwatch(['1']);
    const unwatch = await until(() => conn.received.find((m) => m.type === 'unwatch'));
    conn.ws.send(JSON.stringify({ type: 'unwatched', id: unwatch.id, uid: '1' }));
    expect(await unwatched).toEqual([{ uid: '1', answer: 'ok' }]);
    const watched = client!.watch(['5']);
    await until(() => conn.received.find((m) => m.type === 'watch'));
    conn.ws.terminate();
    expect(await watched).toEqual([{ uid: '5', answer: 'unanswered' }]);
    expect(await client!.watch(['6'])).toEqual([{ uid: '6', answer: 'unanswered' }]); // offline: at once
  });

  it('paces a bulk watch inside the relay’s control rate and under its frame limit', async () => {
    const uids = Array.from({ length: 5_000 }, (_, i) => String(100_000 + i));
    const positions = new Map(uids.map((uid) => [uid, { epoch: 'k3x9f2-1234', offset: 1_234_567 }]));
    startClient({ members: uids, positions });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ positioning: true, limits: { ...limits, maxPayload: 65_536 } }));
    await until(
      () =>
        conn.received.filter((m) => m.type === 'watch').flatMap((m) => m.members as unknown[]).length ===
        5_000,
    );
    const watches = conn.received.filter((m) => m.type === 'watch');
    expect(watches.length).toBeLessThanOrEqual(30); // the station's burst: half the relay's 60
    for (const m of watches) expect(JSON.stringify(m).length).toBeLessThanOrEqual(65_536);
  });

  it('reconnects soon after 1012 and re-watches', async () => {
    const { statuses } = startClient({});
    const first = await until(() => conns[0]);
    first.ws.send(welcome());
    await until(() => first.received.find((m) => m.type === 'watch'));
    first.ws.close(1012, 'restarting');
    await until(() => statuses.find((s) => s.code === 'service_restart'));
    const second = await until(() => conns[1], 4_000);
    second.ws.send(welcome());
    await until(() => second.received.find((m) => m.type === 'watch'));
    expect(client?.status.state).toBe('connected');
  });

  it('declares the relay dead after 2.5 heartbeats of silence and reconnects', async () => {
    const { statuses } = startClient({});
    const first = await until(() => conns[0]);
    first.ws.send(welcome({ heartbeatMs: 100 }));
    await until(() => statuses.find((s) => s.code === 'heartbeat_timeout'), 2_000);
    await until(() => conns[1], 2_000);
  });

  it('stays connected while heartbeats arrive', async () => {
    startClient({});
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ heartbeatMs: 100 }));
    const beat = setInterval(() => conn.ws.send(JSON.stringify({ type: 'heartbeat', ts: Date.now() })), 80);
    await new Promise((r) => setTimeout(r, 600));
    clearInterval(beat);
    expect(conns).toHaveLength(1);
    expect(client?.status.state).toBe('connected');
  });

  it('does not take its own busy event loop for a silent relay', async () => {
    const { statuses } = startClient({});
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome({ heartbeatMs: 100 }));
    await until(() => client?.status.state === 'connected');
    for (let i = 0; i < 3; i++) {
      // A heartbeat on its way, then this process is busy (a large SQLite batch) far past the 250 ms deadline:
      // the frame waits unread in the socket while the deadline's timer is already due.
      conn.ws.send(JSON.stringify({ type: 'heartbeat', ts: Date.now() }));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
      // A turn of the event loop in which the waiting frame is read.
      await new Promise((r) => setTimeout(r, 20));
    }
    const beat = setInterval(() => conn.ws.send(JSON.stringify({ type: 'heartbeat', ts: Date.now() })), 50);
    await until(() => (client?.counters.heartbeatStalls ?? 0) >= 3);
    clearInterval(beat);
    expect(conns).toHaveLength(1);
    expect(statuses.some((s) => s.code === 'heartbeat_timeout')).toBe(false);
    expect(client?.status.state).toBe('connected');
  });

  it('is unauthorized when the relay refuses the token, with the relay’s code', async () => {
    refuseWith = { status: 401, code: 'token_bad_signature' };
    const { statuses } = startClient({});
    const status = await until(() => statuses.find((s) => s.state === 'unauthorized'));
    expect(status.code).toBe('token_bad_signature');
    await new Promise((r) => setTimeout(r, 300));
    expect(client?.status.state).toBe('unauthorized'); // no retry loop with a token that cannot work
  });

  it('refreshes an expired token once before giving up', async () => {
    refuseWith = { status: 401, code: 'token_expired' };
    const { statuses, tokenReasons } = startClient({ tokens: ['old', 'new'] });
    await until(() => tokenReasons.includes('expired') && statuses.at(-1)?.state === 'unauthorized');
    expect(tokenReasons).toEqual(['connect', 'expired']);
  });

  it('refreshes the token over the socket on token_expiring', async () => {
    const { statuses, tokenReasons } = startClient({ tokens: ['token-1', 'token-2'] });
    const conn = await until(() => conns[0]);
    conn.ws.send(welcome());
    conn.ws.send(JSON.stringify({ type: 'token_expiring', expiresAt: Date.now() + 60_000 }));
    const auth = await until(() => conn.received.find((m) => m.type === 'auth'));
    expect(auth.token).toBe('token-2');
    expect(tokenReasons).toEqual(['connect', 'expiring']);
    expect(statuses.some((s) => s.state === 'token_expiring')).toBe(true);
    conn.ws.send(
      JSON.stringify({ type: 'auth_ok', operator: 'alice', members: '*', expiresAt: Date.now() + 7_200_000 }),
    );
    await until(() => client?.status.state === 'connected' && client.status.code === 'token_refreshed');
  });

  it('gets a new token after close 4001 and reconnects with it', async () => {
    const { tokenReasons } = startClient({ tokens: ['token-1', 'token-2'] });
    const first = await until(() => conns[0]);
    first.ws.send(welcome());
    first.ws.close(4001, 'token expired');
    const second = await until(() => conns[1], 4_000);
    expect(second.authorization).toBe('Bearer token-2');
    expect(tokenReasons).toEqual(['connect', 'expired']);
  });

  it('reconnects after 4008 and catches up with since', async () => {
    startClient({ positions: new Map([['42', { epoch: 'e1', offset: 9 }]]) });
    const first = await until(() => conns[0]);
    first.ws.send(welcome({ positioning: true }));
    first.ws.close(4008, 'slow consumer');
    const second = await until(() => conns[1], 4_000);
    second.ws.send(welcome({ positioning: true }));
    const watch = await until(() => second.received.find((m) => m.type === 'watch'));
    expect(watch.members).toEqual([{ uid: '42', since: { epoch: 'e1', offset: 9 } }]);
  });

  it('reports an unreachable relay and keeps retrying with backoff', async () => {
    const statuses: RelayStatus[] = [];
    client = new RelayClient({
      url: 'ws://127.0.0.1:1',
      logger: pino({ level: 'silent' }),
      tokenProvider: () => 't',
      members: () => ['42'],
      positions: () => new Map(),
      backoff: { baseMs: 10, maxMs: 20 },
    });
    client.onStatus((s) => statuses.push(s));
    client.start();
    await until(() => statuses.find((s) => s.state === 'offline'));
    const retrying = statuses.filter((s) => s.code === 'relay_unreachable');
    expect(retrying.length).toBeGreaterThanOrEqual(3);
    expect(retrying[0]?.reason).toMatch(/ECONNREFUSED/);
    expect(retrying[0]?.nextRetryAt).toBeGreaterThan(0);
  });
});
