import type { StationApi } from '../../contract/station-api.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the renderer connects to the browser host. */
    lodestar?: StationApi;
  }
}

declare module '*.css';
