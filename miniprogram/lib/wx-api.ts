/**
 * The part of the `wx` global the mini-program's logic uses, as an injected interface. The real `wx` is passed
 * in by app.ts (which type-checks that it fits, against miniprogram-api-typings); tests pass an in-memory
 * emulation (test/wx-emulation.ts). Nothing under lib/ touches the `wx` global.
 */

export interface WxError {
  errMsg: string;
}

interface Callbacks<T> {
  success?: (res: T) => void;
  fail?: (err: WxError) => void;
}

/** The scopes read here (wx's own AuthSetting typing lacks the background one). */
export interface AuthSetting {
  'scope.userLocation'?: boolean;
  'scope.userLocationBackground'?: boolean;
}

export interface WxRequestResult {
  statusCode: number;
  data: unknown;
  header: Record<string, string>;
}

export interface WxRequestOption extends Callbacks<WxRequestResult> {
  url: string;
  method: 'POST';
  data: string;
  header: Record<string, string>;
  timeout: number;
}

export interface WxLocation {
  latitude: number;
  longitude: number;
  speed: number;
  accuracy: number;
  altitude: number;
  verticalAccuracy: number;
  horizontalAccuracy: number;
}

export interface WxNetworkStatus {
  isConnected: boolean;
  networkType: string;
}

export interface WxApi {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;

  request(option: WxRequestOption): unknown;
  onNetworkStatusChange(listener: (res: WxNetworkStatus) => void): void;
  getNetworkType(option: Callbacks<{ networkType: string }>): void;

  getSetting(option: Callbacks<{ authSetting: AuthSetting }>): void;
  authorize(option: Callbacks<WxError> & { scope: string }): void;
  openSetting(option: Callbacks<{ authSetting: AuthSetting }>): void;
  showModal(
    option: Callbacks<{ confirm: boolean; cancel: boolean }> & {
      title: string;
      content: string;
      confirmText?: string;
      cancelText?: string;
      showCancel?: boolean;
    },
  ): void;

  startLocationUpdateBackground(option: Callbacks<WxError> & { type?: 'gcj02' | 'wgs84' }): void;
  startLocationUpdate(option: Callbacks<WxError> & { type?: 'gcj02' | 'wgs84' }): void;
  stopLocationUpdate(option: Callbacks<WxError>): void;
  onLocationChange(listener: (res: WxLocation) => void): void;
  offLocationChange(listener: (res: WxLocation) => void): void;
}

/** Call a callback-style wx API as a promise; `fail` rejects with the WxError. */
export function call<T>(
  invoke: (callbacks: { success: (res: T) => void; fail: (err: WxError) => void }) => void,
) {
  return new Promise<T>((resolve, reject) => invoke({ success: resolve, fail: reject }));
}
