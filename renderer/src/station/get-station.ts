/**
 * The renderer's one way to the station: the Electron preload's bridge when present, the browser host otherwise.
 * The rest of the renderer only sees `StationApi`.
 */
import type { StationApi } from '../../../contract/station-api.js';
import { connectWebStation } from './web-client.js';

export function getStation(): StationApi {
  return window.lodestar ?? connectWebStation(window.location);
}
