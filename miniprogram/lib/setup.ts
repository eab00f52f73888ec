/**
 * Wiring: one uploader and one sharing controller per app launch, fed by wx's network events. app.ts calls this
 * with the real `wx`; tests call it with the emulation, and call it again on the same storage to "restart".
 */
import type { Clock } from './clock';
import { systemClock } from './clock';
import { createCidSource } from './cid';
import { loadConfig } from './config';
import type { QueueOptions } from './queue';
import { DEFAULT_QUEUE, PersistentQueue } from './queue';
import { SharingController } from './sharing';
import type { QueuedFix, UploaderOptions } from './uploader';
import { Uploader } from './uploader';
import type { WxApi } from './wx-api';

export interface Lodestar {
  uploader: Uploader;
  sharing: SharingController;
}

export interface SetupOptions extends Partial<
  Omit<UploaderOptions, 'api' | 'clock' | 'queue' | 'cids' | 'config'>
> {
  clock?: Clock;
  queue?: QueueOptions;
}

export function setupLodestar(api: WxApi, options: SetupOptions = {}): Lodestar {
  const { clock = systemClock, queue: queueOptions = DEFAULT_QUEUE, ...uploaderOptions } = options;
  const uploader = new Uploader({
    ...uploaderOptions,
    api,
    clock,
    queue: new PersistentQueue<QueuedFix>(api, queueOptions),
    cids: createCidSource(api, uploaderOptions.random),
    config: () => loadConfig(api),
  });
  api.onNetworkStatusChange((res) => uploader.setOnline(res.isConnected));
  api.getNetworkType({
    success: (res) => uploader.setOnline(res.networkType !== 'none'),
  });
  // Fixes queued by an earlier launch go out now, not when the first new fix arrives.
  uploader.flushNow();
  return { uploader, sharing: new SharingController(api, uploader) };
}
