/** Every sentence the member reads, in one place (zh-CN). */
export const TEXTS = {
  backgroundRefusedTitle: '需要后台定位权限',
  backgroundRefusedContent:
    '为了在您离开小程序后也能持续共享位置，请在设置中将“位置信息”设为“使用小程序期间和离开小程序后”。',
  openSettings: '去设置',
  notNow: '暂不',
  foregroundOnly: '未开启后台定位：仅在小程序打开时共享位置。',
  locationDenied: '未获得位置权限，无法共享位置。可在右上角“设置”中开启。',
  startFailed: '开启定位失败，请稍后重试。',
  sharingBackground: '正在共享位置（含后台）',
  sharingForeground: '正在共享位置（仅前台）',
  notSharing: '未共享位置',
  tokenRefused: '登录已失效，位置暂存在手机上，重新登录后自动补发。',
  offline: '网络已断开，位置暂存在手机上，联网后自动补发。',
  retrying: '发送失败，稍后自动重试。',
  neverSent: '尚未发送',
} as const;
