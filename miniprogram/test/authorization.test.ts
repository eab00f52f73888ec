import { describe, expect, it } from 'vitest';
import type { LocationMode } from '../lib/authorization';
import { authorizeLocation } from '../lib/authorization';
import { PersistentQueue } from '../lib/queue';
import { SharingController } from '../lib/sharing';
import { TEXTS } from '../lib/texts';
import type { QueuedFix } from '../lib/uploader';
import { Uploader } from '../lib/uploader';
import type { AuthScript } from './wx-emulation';
import { WxEmulation } from './wx-emulation';
import { ManualClock } from './manual-clock';
import { createCidSource } from '../lib/cid';
import type { AuthSetting } from '../lib/wx-api';

interface Case {
  name: string;
  before: AuthSetting;
  script: AuthScript;
  mode: LocationMode;
  calls: string[];
}

const MODAL = `showModal:${TEXTS.backgroundRefusedTitle}`;

const cases: Case[] = [
  {
    name: 'background already granted',
    before: { 'scope.userLocationBackground': true },
    script: { authorize: {}, modalConfirm: false, inSettings: {} },
    mode: 'background',
    calls: ['getSetting'],
  },
  {
    name: 'refused, then granted in settings',
    before: {},
    script: { authorize: {}, modalConfirm: true, inSettings: { 'scope.userLocationBackground': true } },
    mode: 'background',
    calls: ['getSetting', 'authorize:scope.userLocationBackground', MODAL, 'openSetting'],
  },
  {
    name: 'refused, settings opened but only foreground chosen',
    before: {},
    script: { authorize: {}, modalConfirm: true, inSettings: { 'scope.userLocation': true } },
    mode: 'foreground',
    calls: ['getSetting', 'authorize:scope.userLocationBackground', MODAL, 'openSetting'],
  },
  {
    name: 'refused, modal declined, foreground granted when asked',
    before: {},
    script: { authorize: { 'scope.userLocation': true }, modalConfirm: false, inSettings: {} },
    mode: 'foreground',
    calls: ['getSetting', 'authorize:scope.userLocationBackground', MODAL, 'authorize:scope.userLocation'],
  },
  {
    name: 'everything refused',
    before: {},
    script: { authorize: { 'scope.userLocation': false }, modalConfirm: false, inSettings: {} },
    mode: 'denied',
    calls: ['getSetting', 'authorize:scope.userLocationBackground', MODAL, 'authorize:scope.userLocation'],
  },
  {
    name: 'foreground refused earlier is not asked again',
    before: { 'scope.userLocation': false },
    script: { authorize: { 'scope.userLocation': true }, modalConfirm: false, inSettings: {} },
    mode: 'denied',
    calls: ['getSetting', 'authorize:scope.userLocationBackground', MODAL],
  },
];

describe('authorizeLocation', () => {
  it.each(cases)('$name → $mode', async ({ before, script, mode, calls }) => {
    const emu = new WxEmulation();
    emu.authSetting = { ...before };
    emu.script = script;
    await expect(authorizeLocation(emu)).resolves.toBe(mode);
    expect(emu.calls).toEqual(calls);
  });
});

function controller(emu: WxEmulation): { sharing: SharingController; uploader: Uploader } {
  const uploader = new Uploader({
    api: emu,
    clock: new ManualClock(Date.now()),
    queue: new PersistentQueue<QueuedFix>(emu),
    cids: createCidSource(emu),
    config: () => ({ apiBase: 'http://127.0.0.1:9', token: 't' }),
  });
  return { sharing: new SharingController(emu, uploader), uploader };
}

describe('SharingController', () => {
  it('granted: starts background updates, queues fixes, stops on request', async () => {
    const emu = new WxEmulation();
    emu.authSetting = { 'scope.userLocationBackground': true };
    const { sharing, uploader } = controller(emu);
    await expect(sharing.start()).resolves.toEqual({ sharing: true, mode: 'background', notice: undefined });
    expect(emu.locationUpdates).toBe('background');
    emu.emitLocation({ latitude: 23.1, longitude: 113.3 });
    expect(uploader.status().waiting).toBe(1);
    await sharing.stop();
    expect(emu.locationUpdates).toBe('off');
    emu.emitLocation({ latitude: 23.2, longitude: 113.3 });
    expect(uploader.status().waiting).toBe(1);
    uploader.dispose();
  });

  it('background refused: falls back to foreground updates and says so', async () => {
    const emu = new WxEmulation();
    emu.script = { authorize: { 'scope.userLocation': true }, modalConfirm: false, inSettings: {} };
    const { sharing, uploader } = controller(emu);
    await expect(sharing.start()).resolves.toEqual({
      sharing: true,
      mode: 'foreground',
      notice: TEXTS.foregroundOnly,
    });
    expect(emu.calls).toContain('startLocationUpdate');
    expect(emu.calls).not.toContain('startLocationUpdateBackground');
    uploader.dispose();
  });

  it('all refused: does not share and explains', async () => {
    const emu = new WxEmulation();
    emu.script = { authorize: { 'scope.userLocation': false }, modalConfirm: false, inSettings: {} };
    const { sharing, uploader } = controller(emu);
    await expect(sharing.start()).resolves.toEqual({ sharing: false, notice: TEXTS.locationDenied });
    expect(emu.locationUpdates).toBe('off');
    uploader.dispose();
  });

  it('resumes after a restart only if the member left sharing on', async () => {
    const emu = new WxEmulation();
    emu.authSetting = { 'scope.userLocationBackground': true };
    const first = controller(emu);
    await first.sharing.start();
    first.uploader.dispose();

    const restarted = WxEmulation.withStorage(emu.storage);
    restarted.authSetting = { 'scope.userLocationBackground': true };
    const second = controller(restarted);
    await second.sharing.resume();
    expect(second.sharing.current.sharing).toBe(true);
    await second.sharing.stop();
    second.uploader.dispose();

    const third = WxEmulation.withStorage(restarted.storage);
    third.authSetting = { 'scope.userLocationBackground': true };
    const stopped = controller(third);
    await stopped.sharing.resume();
    expect(stopped.sharing.current.sharing).toBe(false);
    expect(third.calls).toEqual([]);
    stopped.uploader.dispose();
  });
});
