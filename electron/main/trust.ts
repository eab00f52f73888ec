/**
 * Which URLs the app trusts, as pure functions (table-tested): the renderer's own origin is the only sender IPC
 * handlers answer and the only place the window may navigate to. Everything is decided by parsing URLs, never by
 * string prefixes (`app://lodestar.evil.example` starts with `app://lodestar`).
 */

/** The custom scheme the packaged renderer is served from; a real origin, unlike file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lodestar';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Where app:// serves the station's own tiles (offline maps, the tile cache): same origin, so CSP `img-src 'self'`. */
export const APP_TILES_PATH = '/tiles/';

/** Origins trusted in this run: the app's own, plus electron-vite's dev server when running `dev`. */
export function trustedOrigins(devServerUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  if (devServerUrl) {
    const origin = originOf(devServerUrl);
    if (origin && /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)) origins.add(origin);
  }
  return origins;
}

export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    // WHATWG gives "null" as the origin of non-special schemes; rebuild it from protocol and host for app://.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

/** An IPC message is answered only when it comes from a frame showing our own page. */
export function isTrustedSender(frameUrl: string | undefined, origins: ReadonlySet<string>): boolean {
  const origin = originOf(frameUrl);
  return origin !== undefined && origin !== `${APP_SCHEME}://` && origins.has(origin);
}

/** In-app navigation stays on our origin; anything else is refused (links to maps etc. are not followed). */
export function isAllowedNavigation(targetUrl: string, origins: ReadonlySet<string>): boolean {
  return isTrustedSender(targetUrl, origins);
}

/** Only plain web links leave the app, and then in the system browser, never in an Electron window. */
export function isExternalLinkToOpen(url: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
