/**
 * The preload: exposes the station API as `window.lodestar`, one method per channel of the shared map (built by the
 * same function as the browser host's client). No generic `send`/`invoke` is exposed, so the page can only do what
 * StationApi allows.
 */
import { contextBridge } from 'electron';
import { stationApiOver } from '../../contract/bridge.js';
import { invoke, subscribe } from './ipc.js';

contextBridge.exposeInMainWorld('lodestar', stationApiOver(invoke, subscribe));
