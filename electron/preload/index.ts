/**
 * The preload: exposes the station API as `window.lodestar`, one method per channel of the shared map. No generic
 * `send`/`invoke` is exposed, so the page can only do what StationApi allows.
 */
import { contextBridge } from 'electron';
import type { StationApi } from '../core/api.js';
import { SUBSCRIPTIONS } from '../core/channels/map.js';
import { invoke, subscribe } from './ipc.js';

const api: StationApi = {
  getStatus: () => invoke('getStatus', []),
  onStatus: (listener) => subscribe(SUBSCRIPTIONS.onStatus, listener),
  onFixes: (listener) => subscribe(SUBSCRIPTIONS.onFixes, listener),
  listWatched: () => invoke('listWatched', []),
  watch: (uid, options) => invoke('watch', options === undefined ? [uid] : [uid, options]),
  unwatch: (uid) => invoke('unwatch', [uid]),
  updateMember: (uid, changes) => invoke('updateMember', [uid, changes]),
  listMembers: () => invoke('listMembers', []),
  latest: (uids) => invoke('latest', uids === undefined ? [] : [uids]),
  queryRange: (query) => invoke('queryRange', [query]),
  stats: (query) => invoke('stats', [query]),
  exportTrack: (request) => invoke('exportTrack', [request]),
  onExportProgress: (listener) => subscribe(SUBSCRIPTIONS.onExportProgress, listener),
  getSettings: () => invoke('getSettings', []),
  updateSettings: (update) => invoke('updateSettings', [update]),
};

contextBridge.exposeInMainWorld('lodestar', api);
