/**
 * The location authorization flow of the customer's note, kept: check the settings, ask for background
 * location, on refusal explain why and offer the settings page; and added: if background location stays refused,
 * fall back to foreground location (asked separately) instead of sharing nothing.
 *
 * Note: WeChat never shows a prompt for `scope.userLocationBackground`; `authorize` for it fails unless the
 * member already chose "使用小程序期间和离开小程序后" in the settings page, which is why the modal leads there.
 */
import { TEXTS } from './texts';
import type { AuthSetting, WxApi } from './wx-api';
import { call } from './wx-api';

export const BACKGROUND_SCOPE = 'scope.userLocationBackground' as const;
export const FOREGROUND_SCOPE = 'scope.userLocation' as const;

export type LocationMode = 'background' | 'foreground' | 'denied';

type AuthApi = Pick<WxApi, 'getSetting' | 'authorize' | 'openSetting' | 'showModal'>;

async function authorized(api: AuthApi, scope: string): Promise<boolean> {
  try {
    await call((cb) => api.authorize({ scope, ...cb }));
    return true;
  } catch {
    return false;
  }
}

async function settings(api: AuthApi): Promise<AuthSetting> {
  try {
    return (await call<{ authSetting: AuthSetting }>((cb) => api.getSetting(cb))).authSetting;
  } catch {
    return {};
  }
}

export async function authorizeLocation(api: AuthApi): Promise<LocationMode> {
  const current = await settings(api);
  if (current[BACKGROUND_SCOPE]) return 'background';
  if (await authorized(api, BACKGROUND_SCOPE)) return 'background';

  const modal = await call<{ confirm: boolean }>((cb) =>
    api.showModal({
      title: TEXTS.backgroundRefusedTitle,
      content: TEXTS.backgroundRefusedContent,
      confirmText: TEXTS.openSettings,
      cancelText: TEXTS.notNow,
      ...cb,
    }),
  ).catch(() => ({ confirm: false }));
  let after = current;
  if (modal.confirm) {
    after = await call<{ authSetting: AuthSetting }>((cb) => api.openSetting(cb)).then(
      (res) => res.authSetting,
      () => current,
    );
    if (after[BACKGROUND_SCOPE]) return 'background';
  }
  if (after[FOREGROUND_SCOPE]) return 'foreground';
  // false means refused before: authorize fails without asking again, so only ask when it was never answered.
  if (after[FOREGROUND_SCOPE] === undefined && (await authorized(api, FOREGROUND_SCOPE))) return 'foreground';
  return 'denied';
}
