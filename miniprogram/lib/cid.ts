/**
 * Client fix ids: `<device id>-<counter in base 36>`, unique per device, so the relay can tell a retried fix
 * from a new one. The device id is random and kept in storage; the counter is reserved in blocks so storage is
 * written once per block instead of once per fix. After a restart the counter continues past the last block
 * reserved, which may skip numbers but never repeats one.
 */
import type { WxApi } from './wx-api';

const DEVICE_KEY = 'lodestar.device';
const SEQ_KEY = 'lodestar.seq';
const BLOCK = 100;

export interface CidSource {
  next(): string;
}

function randomDeviceId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.floor(random() * 36).toString(36);
  return id;
}

export function createCidSource(
  api: Pick<WxApi, 'getStorageSync' | 'setStorageSync'>,
  random: () => number = Math.random,
): CidSource {
  let device = api.getStorageSync(DEVICE_KEY);
  if (typeof device !== 'string' || !/^[a-z0-9]{12}$/.test(device)) {
    device = randomDeviceId(random);
    api.setStorageSync(DEVICE_KEY, device);
  }
  const stored = api.getStorageSync(SEQ_KEY);
  let next = typeof stored === 'number' && Number.isSafeInteger(stored) && stored >= 0 ? stored : 0;
  let reserved = next;
  return {
    next() {
      if (next >= reserved) {
        reserved = next + BLOCK;
        api.setStorageSync(SEQ_KEY, reserved);
      }
      return `${device as string}-${(next++).toString(36)}`;
    },
  };
}
