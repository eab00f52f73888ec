/**
 * The Electron shell: lifecycle only. The station itself (relay client, store, exports) is electron/core, the
 * same code the browser host runs; this file opens it in the user's data folder, shows one window, and wires
 * the typed IPC handlers and events.
 */
import type { BrowserWindow } from 'electron';
import { app, dialog } from 'electron';
import { join } from 'node:path';
import { pino } from 'pino';
import { forwardStationEvents } from '../../contract/bridge.js';
import { openStationRuntime, type StationRuntime } from '../core/runtime.js';
import { trackExporter } from '../core/station/exporter.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { registerStationHandlers, sendStationEvent } from './ipc.js';
import { saveDialogChooser } from './save-dialog.js';
import { safeStorageVault } from './token-vault.js';
import { APP_ORIGIN, trustedOrigins } from './trust.js';
import { createMainWindow } from './window.js';

const logger = pino({ name: 'lodestar-station', level: process.env.LOG_LEVEL ?? 'info' });
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const origins = trustedOrigins(devServerUrl);

// Tests and portable installs point the app at another data folder; must happen before anything reads it.
if (process.env.LODESTAR_USER_DATA_DIR) app.setPath('userData', process.env.LODESTAR_USER_DATA_DIR);

// A second station on the same data folder would fight over the database: hand over to the first one instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let runtime: StationRuntime | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', (event) => {
    if (!runtime) return;
    // Let the store write what is queued before the process ends.
    event.preventDefault();
    const closing = runtime;
    runtime = undefined;
    void closing.close().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    const dataDir = app.getPath('userData');
    serveRenderer(join(import.meta.dirname, '../renderer'), () => runtime?.station.basemaps.tiles);
    try {
      runtime = openStationRuntime({
        dataDir: join(dataDir, 'station'),
        exportsDir: join(app.getPath('documents'), 'Lodestar exports'),
        vault: safeStorageVault(dataDir, logger),
        exporter: trackExporter,
        chooseExportPath: saveDialogChooser(() => window),
        logger,
      });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'internal';
      dialog.showErrorBox('Lodestar cannot open its database', `${code}: ${(error as Error).message}`);
      app.exit(1);
      return;
    }
    const { station } = runtime;
    registerStationHandlers(station, origins, logger);
    window = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      startUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
      origins,
      logger,
    });
    const target = window.webContents;
    forwardStationEvents(station, (event, payload) => sendStationEvent(target, event, payload));
    station.start();
  });
}
