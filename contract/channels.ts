/**
 * The one channel → signature map of the station API, shared by every host (Electron main + preload, browser host
 * server + client). Like Heroic's `ipc.ts`: hosts never spell a channel name or an argument list by hand; they go
 * through this map, so adding a method to `StationApi` is a type error until every host carries it.
 */
import type { Fix } from '../protocol/fix-types.js';
import type { OfflineAlert } from './alerts.js';
import type { ExportProgress, StationApi, StationStatus } from './station-api.js';

/** Request/response methods: everything in StationApi that returns a Promise. */
export const INVOKE_METHODS = [
  'getStatus',
  'listWatched',
  'watch',
  'watchMany',
  'unwatch',
  'updateMember',
  'listMembers',
  'latest',
  'queryRange',
  'historyOverview',
  'prepareHistory',
  'stats',
  'holes',
  'exportTrack',
  'listAlerts',
  'raiseAlerts',
  'clearAlerts',
  'getSettings',
  'updateSettings',
  'listOfflineMaps',
  'importOfflineMap',
  'removeOfflineMap',
] as const satisfies readonly (keyof StationApi)[];
export type InvokeMethod = (typeof INVOKE_METHODS)[number];

export type InvokeArgs<M extends InvokeMethod> = Parameters<StationApi[M]>;
export type InvokeResult<M extends InvokeMethod> = Awaited<ReturnType<StationApi[M]>>;

/** Push events: one per subscription method of StationApi. */
export interface EventPayloads {
  status: StationStatus;
  fixes: Fix[];
  exportProgress: ExportProgress;
  alerts: OfflineAlert[];
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES = [
  'status',
  'fixes',
  'exportProgress',
  'alerts',
] as const satisfies readonly EventName[];

/** Which StationApi subscription method feeds which event. */
export const SUBSCRIPTIONS = {
  onStatus: 'status',
  onFixes: 'fixes',
  onExportProgress: 'exportProgress',
  onAlerts: 'alerts',
} as const satisfies Record<string, EventName>;

/** Electron IPC channel names; the browser host uses the method/event names as URL paths. */
export const invokeChannel = (method: InvokeMethod): string => `station:${method}`;
export const eventChannel = (event: EventName): string => `station-event:${event}`;

export function isInvokeMethod(value: string): value is InvokeMethod {
  return (INVOKE_METHODS as readonly string[]).includes(value);
}

/** Every StationApi method is either an invoke method or a subscription: a new one fails to compile here. */
type Uncovered = Exclude<keyof StationApi, InvokeMethod | keyof typeof SUBSCRIPTIONS>;
const everyMethodHasAChannel: [Uncovered] extends [never] ? true : Uncovered = true;
void everyMethodHasAChannel;
