/**
 * The browser host over real HTTP and a real websocket, with a real station on a real SQLite file (no relay: the
 * station is offline, which is also what this proves the API still answers in). The client is the same
 * connectWebStation the renderer uses, given Node's fetch and `ws`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Fix } from '../../protocol/fix.js';
import type { StationApi } from '../../contract/station-api.js';
import { memoryVault, openStationRuntime, type StationRuntime } from '../core/runtime.js';
import { trackExporter } from '../core/station/exporter.js';
import { StationError } from '../../contract/errors.js';
import { connectWebStation } from '../../renderer/src/station/web-client.js';
import { startWebHost, type RunningWebHost } from './server.js';
import { CALL_PATH, EVENTS_PATH, KEY_HEADER } from '../../contract/web-protocol.js';

let dir: string;
let runtime: StationRuntime;
let host: RunningWebHost;
let api: StationApi;
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

function location(hash: string): Location {
  return { origin: host.origin, hash } as Location;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lodestar-web-'));
  runtime = openStationRuntime({
    dataDir: dir,
    vault: memoryVault('a-token-the-unreachable-relay-never-sees'),
    exporter: trackExporter,
    logger: pino({ level: 'silent' }),
    relayUrl: 'ws://127.0.0.1:1',
  });
  host = await startWebHost({
    station: runtime.station,
    rendererDir: join(dir, 'no-renderer'),
    logger: pino({ level: 'silent' }),
  });
  runtime.station.start();
  api = connectWebStation(location(`#key=${host.secret}`), { WebSocket: WebSocket as never });
});

afterAll(async () => {
  await host.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser host', () => {
  it('prints a URL on 127.0.0.1 carrying the secret only in the fragment', () => {
    const url = new URL(host.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe('/');
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#key=${host.secret}`);
  });

  it('refuses calls without the key, with a wrong key, and from another origin', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${host.origin}${CALL_PATH}getStatus`, { method: 'POST', headers, body: '{"args":[]}' });
    expect((await call({})).status).toBe(401);
    expect((await call({ [KEY_HEADER]: 'wrong' })).status).toBe(401);
    expect((await call({ [KEY_HEADER]: host.secret, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call({ [KEY_HEADER]: host.secret })).status).toBe(200);
    const wrong = connectWebStation(location('#key=wrong'), { WebSocket: WebSocket as never });
    await expect(wrong.getStatus()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a websocket hello with the wrong key', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${EVENTS_PATH}`);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'hello', key: 'wrong' }));
    const code = await new Promise<number>((r) => ws.once('close', (c) => r(c)));
    expect(code).toBe(4401);
  });

  it('refuses a websocket from another origin at the upgrade', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${EVENTS_PATH}`, { origin: 'https://evil.example' });
    const error = await new Promise<Error>((r) => ws.once('error', r));
    expect(error.message).toMatch(/403/);
  });

  it('answers history from SQLite while the relay is unreachable, typed arrays intact', async () => {
    const fixes: Fix[] = Array.from({ length: 500 }, (_, i) => ({
      uid: '42',
      lat: 23.1 + i * 1e-5,
      lon: 113.3 + i * 1e-5,
      ts: T0 + i * 1000,
      crs: 'gcj02',
      speed: i % 7,
    }));
    runtime.store.enqueue(fixes);
    await runtime.store.flush();
    const status = await api.getStatus();
    expect(['offline', 'reconnecting', 'connecting']).toContain(status.state);
    const track = await api.queryRange({ uid: '42', from: T0, to: T0 + 1_000_000 });
    expect(track.count).toBe(500);
    expect(track.ts).toBeInstanceOf(Float64Array);
    expect(track.speed).toBeInstanceOf(Float32Array);
    expect(track.crs).toBeInstanceOf(Uint8Array);
    expect(Array.from(track.ts)).toEqual(fixes.map((f) => f.ts));
    expect(Array.from(track.lat)).toEqual(fixes.map((f) => f.lat));
    expect(track.speed[6]).toBe(6);
    const stats = await api.stats({ uid: '42', from: T0, to: T0 + 1_000_000 });
    expect(stats.count).toBe(500);
    expect(stats.distanceM).toBeGreaterThan(0);
  });

  it('answers a history overview over the wire, the same as the station builds it', async () => {
    const from = T0;
    const to = T0 + 1_000_000;
    const overview = await api.historyOverview({ uid: '42', from, to, settings: { gapMs: 120_000 } });
    const direct = runtime.store.overview(
      { uid: '42', from, to, settings: { gapMs: 120_000 } },
      overview.range.now,
    );
    expect(overview.outline.lat).toBeInstanceOf(Float64Array);
    expect(overview.counts.counts).toBeInstanceOf(Uint32Array);
    expect(overview).toEqual(direct);
    expect(overview.count).toBe(500);
    expect(overview.settings.gapMs).toBe(120_000);
  });

  it.each([
    ['a period ending before it starts', { uid: '42', from: 10, to: 0 }],
    ['a setting out of its limits', { uid: '42', from: 0, to: 10, settings: { stopRadiusM: 0 } }],
    ['an unknown setting', { uid: '42', from: 0, to: 10, settings: { speed: 3 } }],
    ['a malformed uid', { uid: 'bad uid!', from: 0, to: 10 }],
    ['a fractional time', { uid: '42', from: 0.5, to: 10 }],
  ])('refuses a history overview of %s with bad_request', async (_name, query) => {
    await expect(api.historyOverview(query as never)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('validates arguments with a stable code', async () => {
    await expect(api.queryRange({ uid: 'bad uid!', from: 0, to: 1 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(api.unwatch('nobody')).rejects.toBeInstanceOf(StationError);
    await expect(api.unwatch('nobody')).rejects.toMatchObject({ code: 'not_watched' });
  });

  it('watches, labels and lists members, and persists settings', async () => {
    const member = await api.watch('42', { label: 'Truck 42' });
    expect(member).toMatchObject({ uid: '42', label: 'Truck 42' });
    expect(await api.updateMember('42', { color: '#00ff00' })).toMatchObject({ color: '#00ff00' });
    expect((await api.listWatched()).map((m) => m.uid)).toEqual(['42']);
    const members = await api.listMembers();
    expect(members[0]).toMatchObject({ uid: '42', watched: true, label: 'Truck 42', lastTs: T0 + 499_000 });
    expect((await api.latest()).map((f) => f.ts)).toEqual([T0 + 499_000]);
    const settings = await api.updateSettings({ retentionDays: 30, locale: 'en' });
    expect(settings).toMatchObject({ retentionDays: 30, locale: 'en', hasToken: true });
  });

  it('keeps the live thresholds and notification switch as station settings, stale never after offline', async () => {
    expect(await api.getSettings()).toMatchObject({
      staleAfterMs: 120_000,
      offlineAfterMs: 600_000,
      desktopNotifications: true,
    });
    const saved = await api.updateSettings({
      staleAfterMs: 60_000,
      offlineAfterMs: 300_000,
      desktopNotifications: false,
    });
    expect(saved).toMatchObject({
      staleAfterMs: 60_000,
      offlineAfterMs: 300_000,
      desktopNotifications: false,
    });
    // The Electron shell reads the same core: what one host saved, the other shows.
    expect(await runtime.station.getSettings()).toMatchObject({
      staleAfterMs: 60_000,
      desktopNotifications: false,
    });
    await expect(api.updateSettings({ staleAfterMs: 400_000 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(api.updateSettings({ offlineAfterMs: 1_000 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(
      api.updateSettings({ desktopNotifications: 'yes' as unknown as boolean }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(await api.getSettings()).toMatchObject({ staleAfterMs: 60_000, offlineAfterMs: 300_000 });
  });

  it('pushes stored fixes in batches over the websocket', async () => {
    const batches: Fix[][] = [];
    const unsubscribe = api.onFixes((fixes) => batches.push(fixes));
    const statuses: string[] = [];
    const unsubscribeStatus = api.onStatus((s) => statuses.push(s.state));
    // The hello/ready exchange re-reads the status: wait for it so the socket is subscribed.
    for (let i = 0; i < 100 && statuses.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const burst = Array.from({ length: 200 }, (_, i) => ({
      uid: '42',
      lat: 23.2,
      lon: 113.4,
      ts: T0 + 600_000 + i * 1000,
      crs: 'gcj02' as const,
    }));
    runtime.store.enqueue(burst);
    await runtime.store.flush();
    for (let i = 0; i < 100 && batches.flat().length < 200; i++) await new Promise((r) => setTimeout(r, 20));
    expect(batches.flat().map((f) => f.ts)).toEqual(burst.map((f) => f.ts));
    expect(batches.length).toBeLessThanOrEqual(3); // one burst, a few ticks: never one message per fix
    unsubscribe();
    unsubscribeStatus();
  });

  it('exports a range with progress events and a download link only it can use', async () => {
    const progress: { written: number; done: boolean }[] = [];
    const unsubscribe = api.onExportProgress((p) => progress.push(p));
    // The event socket says ready by re-reading the status: once a status arrives, events flow.
    let ready = false;
    const unsubscribeStatus = api.onStatus(() => (ready = true));
    for (let i = 0; i < 100 && !ready; i++) await new Promise((r) => setTimeout(r, 20));
    const result = await api.exportTrack({ uids: ['42'], from: T0, to: T0 + 1_000_000, format: 'gpx' });
    expect(result.count).toBe(700);
    expect(result.downloadUrl).toMatch(/^\/api\/exports\//);
    const file = await fetch(`${host.origin}${result.downloadUrl}`);
    expect(file.status).toBe(200);
    const gpx = await file.text();
    expect(gpx).toContain('<gpx');
    expect(gpx.match(/<trkpt /g)).toHaveLength(700);
    const forged = await fetch(`${host.origin}${result.downloadUrl?.replace(/t=.*/, 't=guess')}`);
    expect(forged.status).toBe(404);
    for (let i = 0; i < 50 && !progress.some((p) => p.done); i++) await new Promise((r) => setTimeout(r, 20));
    expect(progress.at(-1)).toMatchObject({ written: 700, done: true });
    unsubscribe();
    unsubscribeStatus();
  });
});
