/**
 * Where fixes go and as whom. In the customer's app the member token comes from its own login, which stores it
 * with `saveMemberToken`; the API base URL is set at build time here and may be overridden the same way (its
 * domain must be on the mini-program's legal request-domain list, see docs/miniprogram.md).
 */
import type { WxApi } from './wx-api';

/** protocol/ingest.ts INGEST_PATH (a test checks they agree: the mini-program cannot import runtime code outside its root). */
export const INGEST_PATH = '/api/location/move';
/** Kept below the relay's default batch limit (protocol/ingest.ts INGEST_MAX_BATCH). */
export const MAX_BATCH = 100;

export interface UploaderConfig {
  apiBase: string;
  token: string;
}

export const DEFAULT_CONFIG: UploaderConfig = {
  apiBase: 'https://relay.example.com',
  token: '',
};

const CONFIG_KEY = 'lodestar.config';

export function loadConfig(api: Pick<WxApi, 'getStorageSync'>): UploaderConfig {
  const stored = api.getStorageSync(CONFIG_KEY);
  const overrides = typeof stored === 'object' && stored !== null ? (stored as Partial<UploaderConfig>) : {};
  return {
    apiBase:
      typeof overrides.apiBase === 'string' && overrides.apiBase ? overrides.apiBase : DEFAULT_CONFIG.apiBase,
    token: typeof overrides.token === 'string' ? overrides.token : DEFAULT_CONFIG.token,
  };
}

export function saveConfig(
  api: Pick<WxApi, 'getStorageSync' | 'setStorageSync'>,
  patch: Partial<UploaderConfig>,
): void {
  api.setStorageSync(CONFIG_KEY, { ...loadConfig(api), ...patch });
}

export function saveMemberToken(api: Pick<WxApi, 'getStorageSync' | 'setStorageSync'>, token: string): void {
  saveConfig(api, { token });
}

export function ingestUrl(config: UploaderConfig): string {
  return config.apiBase.replace(/\/+$/, '') + INGEST_PATH;
}
