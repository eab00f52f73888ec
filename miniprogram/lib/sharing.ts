/**
 * Sharing on and off: the authorization flow, wx's location updates, and the uploader, behind start/stop. The
 * "sharing" choice is kept in storage so a restarted app resumes what the member chose, and never starts
 * sharing on its own.
 */
import type { LocationMode } from './authorization';
import { authorizeLocation } from './authorization';
import { TEXTS } from './texts';
import type { Uploader } from './uploader';
import type { WxApi, WxLocation } from './wx-api';
import { call } from './wx-api';

const SHARING_KEY = 'lodestar.sharing';

export interface SharingState {
  sharing: boolean;
  mode?: Exclude<LocationMode, 'denied'>;
  /** A sentence to show the member, if something needs saying (fallback to foreground, refusal, failure). */
  notice?: string;
}

export class SharingController {
  private state: SharingState = { sharing: false };
  private readonly listeners = new Set<(state: SharingState) => void>();
  private readonly onLocation = (location: WxLocation): void => {
    this.uploader.add(location);
  };

  constructor(
    private readonly api: WxApi,
    private readonly uploader: Uploader,
  ) {}

  get current(): SharingState {
    return this.state;
  }

  onChange(listener: (state: SharingState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** At app launch: resume sharing if the member left it on. */
  async resume(): Promise<void> {
    if (this.api.getStorageSync(SHARING_KEY) === true) await this.start();
  }

  async start(): Promise<SharingState> {
    if (this.state.sharing) return this.state;
    const mode = await authorizeLocation(this.api);
    if (mode === 'denied') return this.set({ sharing: false, notice: TEXTS.locationDenied });
    try {
      await call((cb) =>
        mode === 'background'
          ? this.api.startLocationUpdateBackground({ type: 'gcj02', ...cb })
          : this.api.startLocationUpdate({ type: 'gcj02', ...cb }),
      );
    } catch {
      return this.set({ sharing: false, notice: TEXTS.startFailed });
    }
    this.api.onLocationChange(this.onLocation);
    this.api.setStorageSync(SHARING_KEY, true);
    return this.set({
      sharing: true,
      mode,
      notice: mode === 'foreground' ? TEXTS.foregroundOnly : undefined,
    });
  }

  async stop(): Promise<SharingState> {
    this.api.offLocationChange(this.onLocation);
    this.api.setStorageSync(SHARING_KEY, false);
    await call((cb) => this.api.stopLocationUpdate(cb)).catch(() => undefined);
    // What was recorded before stopping is still sent.
    this.uploader.flushNow();
    return this.set({ sharing: false });
  }

  private set(state: SharingState): SharingState {
    this.state = state;
    for (const listener of this.listeners) listener(state);
    return state;
  }
}
