/**
 * App entry: wires the real `wx` into the uploader and the sharing controller once per launch, so they live
 * across pages and keep sending while the page is hidden (background location keeps the app alive).
 */
import type { Lodestar } from './lib/setup';
import { setupLodestar } from './lib/setup';
import type { WxApi } from './lib/wx-api';

export interface AppData {
  lodestar?: Lodestar;
}

// Type-checks that the real wx fits the interface lib/ is written (and tested) against.
const api: WxApi = wx;

App<{ globalData: AppData }>({
  globalData: {},
  onLaunch() {
    const lodestar = setupLodestar(api);
    this.globalData.lodestar = lodestar;
    void lodestar.sharing.resume();
  },
  onShow() {
    this.globalData.lodestar?.uploader.flushNow();
  },
});
