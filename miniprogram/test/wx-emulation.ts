/**
 * In-memory emulation of the `wx` APIs lib/ uses: the project's only test double. wx.request goes to a real
 * server over HTTP (Node's fetch); storage is a Map holding JSON copies (as wx serializes); location and network
 * events are driven by the test; authorization outcomes are scripted.
 */
import type {
  AuthSetting,
  WxApi,
  WxError,
  WxLocation,
  WxNetworkStatus,
  WxRequestOption,
} from '../lib/wx-api';

export interface AuthScript {
  /** What the member answers to wx.authorize per scope (background: WeChat never asks; it fails unless set). */
  authorize: Partial<Record<keyof AuthSetting, boolean>>;
  /** Tapping "去设置" in the explanation modal. */
  modalConfirm: boolean;
  /** What the member chooses in the settings page opened by openSetting. */
  inSettings: AuthSetting;
}

export class WxEmulation implements WxApi {
  readonly storage = new Map<string, string>();
  authSetting: AuthSetting = {};
  script: AuthScript = { authorize: {}, modalConfirm: false, inSettings: {} };
  /** Calls made, by API name, in order: for asserting the authorization flow. */
  readonly calls: string[] = [];
  /** No network: wx.request fails at once, as on a phone in a lift. */
  connected = true;
  /** Deliver the next N requests to the server but lose their answers (the phone left coverage meanwhile). */
  loseAnswers = 0;
  readonly requests: { url: string; body: string; status: number | 'failed' }[] = [];
  private inFlight = new Set<Promise<void>>();
  private locationListeners = new Set<(res: WxLocation) => void>();
  private networkListeners = new Set<(res: WxNetworkStatus) => void>();
  locationUpdates: 'off' | 'foreground' | 'background' = 'off';

  /** A copy of the storage, for "restarting the app" on it. */
  static withStorage(storage: Map<string, string>): WxEmulation {
    const emu = new WxEmulation();
    for (const [k, v] of storage) emu.storage.set(k, v);
    return emu;
  }

  getStorageSync(key: string): unknown {
    const value = this.storage.get(key);
    // wx returns "" for a missing key.
    return value === undefined ? '' : (JSON.parse(value) as unknown);
  }
  setStorageSync(key: string, data: unknown): void {
    this.storage.set(key, JSON.stringify(data));
  }
  removeStorageSync(key: string): void {
    this.storage.delete(key);
  }

  request(option: WxRequestOption): unknown {
    const record: (typeof this.requests)[number] = { url: option.url, body: option.data, status: 'failed' };
    this.requests.push(record);
    if (!this.connected) {
      queueMicrotask(() => option.fail?.({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }));
      return {};
    }
    const done = (async () => {
      try {
        const res = await fetch(option.url, {
          method: option.method,
          headers: option.header,
          body: option.data,
          signal: AbortSignal.timeout(option.timeout),
        });
        const text = await res.text();
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // wx hands over the raw string when the answer is not JSON.
        }
        if (this.loseAnswers > 0) {
          this.loseAnswers -= 1;
          option.fail?.({ errMsg: 'request:fail timeout' });
          return;
        }
        record.status = res.status;
        option.success?.({ statusCode: res.status, data, header: Object.fromEntries(res.headers) });
      } catch (err) {
        option.fail?.({ errMsg: `request:fail ${(err as Error).message}` });
      }
    })();
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return {};
  }

  /** Resolves when no request is in flight (answers delivered). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await new Promise((r) => setImmediate(r));
  }

  onNetworkStatusChange(listener: (res: WxNetworkStatus) => void): void {
    this.networkListeners.add(listener);
  }
  getNetworkType(option: { success?: (res: { networkType: string }) => void }): void {
    option.success?.({ networkType: this.connected ? 'wifi' : 'none' });
  }
  /** The test turns the network off or on; listeners hear it like wx.onNetworkStatusChange. */
  setNetwork(connected: boolean): void {
    this.connected = connected;
    for (const l of this.networkListeners)
      l({ isConnected: connected, networkType: connected ? '4g' : 'none' });
  }

  getSetting(option: { success?: (res: { authSetting: AuthSetting }) => void }): void {
    this.calls.push('getSetting');
    queueMicrotask(() => option.success?.({ authSetting: { ...this.authSetting } }));
  }
  authorize(option: {
    scope: string;
    success?: (res: WxError) => void;
    fail?: (err: WxError) => void;
  }): void {
    const scope = option.scope as keyof AuthSetting;
    this.calls.push(`authorize:${scope}`);
    queueMicrotask(() => {
      // An earlier refusal sticks: WeChat does not ask again.
      const granted =
        this.authSetting[scope] ??
        (scope === 'scope.userLocationBackground' ? false : this.script.authorize[scope]);
      if (granted === undefined) return option.fail?.({ errMsg: 'authorize:fail' });
      if (scope !== 'scope.userLocationBackground') this.authSetting[scope] = granted;
      if (granted) option.success?.({ errMsg: 'authorize:ok' });
      else option.fail?.({ errMsg: 'authorize:fail auth deny' });
    });
  }
  openSetting(option: { success?: (res: { authSetting: AuthSetting }) => void }): void {
    this.calls.push('openSetting');
    queueMicrotask(() => {
      this.authSetting = { ...this.authSetting, ...this.script.inSettings };
      option.success?.({ authSetting: { ...this.authSetting } });
    });
  }
  showModal(option: {
    title: string;
    content: string;
    success?: (res: { confirm: boolean; cancel: boolean }) => void;
  }): void {
    this.calls.push(`showModal:${option.title}`);
    queueMicrotask(() =>
      option.success?.({ confirm: this.script.modalConfirm, cancel: !this.script.modalConfirm }),
    );
  }

  startLocationUpdateBackground(option: {
    success?: (res: WxError) => void;
    fail?: (err: WxError) => void;
  }): void {
    this.calls.push('startLocationUpdateBackground');
    queueMicrotask(() => {
      if (!this.authSetting['scope.userLocationBackground'])
        return option.fail?.({ errMsg: 'startLocationUpdateBackground:fail auth deny' });
      this.locationUpdates = 'background';
      option.success?.({ errMsg: 'startLocationUpdateBackground:ok' });
    });
  }
  startLocationUpdate(option: { success?: (res: WxError) => void; fail?: (err: WxError) => void }): void {
    this.calls.push('startLocationUpdate');
    queueMicrotask(() => {
      if (!this.authSetting['scope.userLocation'])
        return option.fail?.({ errMsg: 'startLocationUpdate:fail auth deny' });
      this.locationUpdates = 'foreground';
      option.success?.({ errMsg: 'startLocationUpdate:ok' });
    });
  }
  stopLocationUpdate(option: { success?: (res: WxError) => void }): void {
    this.calls.push('stopLocationUpdate');
    this.locationUpdates = 'off';
    queueMicrotask(() => option.success?.({ errMsg: 'stopLocationUpdate:ok' }));
  }
  onLocationChange(listener: (res: WxLocation) => void): void {
    this.locationListeners.add(listener);
  }
  offLocationChange(listener: (res: WxLocation) => void): void {
    this.locationListeners.delete(listener);
  }
  /** The phone reports a position (only while location updates are on, as in WeChat). */
  emitLocation(location: Partial<WxLocation> & Pick<WxLocation, 'latitude' | 'longitude'>): void {
    if (this.locationUpdates === 'off') return;
    const full: WxLocation = {
      speed: 1.2,
      accuracy: 10,
      altitude: 0,
      verticalAccuracy: 0,
      horizontalAccuracy: 10,
      ...location,
    };
    for (const l of this.locationListeners) l(full);
  }
}
