/** The station's one window: secure preferences, no new windows, navigation only within the app's origin. */
import { BrowserWindow, shell } from 'electron';
import type { Logger } from 'pino';
import { isAllowedNavigation, isExternalLinkToOpen } from './trust.js';
import { secureWebPreferences } from './web-preferences.js';

export interface WindowOptions {
  preloadPath: string;
  startUrl: string;
  origins: ReadonlySet<string>;
  logger: Logger;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Lodestar',
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkToOpen(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, options.origins)) {
      event.preventDefault();
      options.logger.warn({ url }, 'navigation away from the app refused');
    }
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void window.loadURL(options.startUrl);
  return window;
}
