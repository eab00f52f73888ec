/** What the sharing page shows, from the sharing and uploader state: pure, so it is tested by a table. */
import type { SharingState } from './sharing';
import { TEXTS } from './texts';
import type { UploaderStatus } from './uploader';

export interface ShareView {
  sharing: boolean;
  headline: string;
  notice: string;
  lastSent: string;
  waiting: string;
  dropped: string;
  problem: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time of a fix, with the date when it is not today. */
export function formatTime(ts: number, now: number): string {
  const d = new Date(ts);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return new Date(now).toDateString() === d.toDateString()
    ? time
    : `${d.getMonth() + 1}月${d.getDate()}日 ${time}`;
}

export function shareView(sharing: SharingState, status: UploaderStatus, now: number): ShareView {
  let headline: string = TEXTS.notSharing;
  if (sharing.sharing)
    headline = sharing.mode === 'foreground' ? TEXTS.sharingForeground : TEXTS.sharingBackground;
  let problem = '';
  if (status.state === 'token_refused') problem = TEXTS.tokenRefused;
  else if (status.state === 'offline') problem = TEXTS.offline;
  else if (status.state === 'retrying') problem = TEXTS.retrying;
  return {
    sharing: sharing.sharing,
    headline,
    notice: sharing.notice ?? '',
    lastSent: status.lastSent
      ? `${formatTime(status.lastSent.ts, now)}（${status.lastSent.latitude.toFixed(5)}, ${status.lastSent.longitude.toFixed(5)}）`
      : TEXTS.neverSent,
    waiting: `${status.waiting} 条`,
    dropped: status.dropped > 0 ? `因存储已满丢弃最早的 ${status.dropped} 条` : '',
    problem,
  };
}
