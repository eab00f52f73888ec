/**
 * The sharing page: a thin shell. Decisions live in lib/ (sharing controller, uploader, view); this file only
 * subscribes to their state and forwards taps.
 */
import type { AppData } from '../../app';
import type { ShareView } from '../../lib/view';
import { shareView } from '../../lib/view';

interface Data {
  view: ShareView;
  busy: boolean;
}

const lodestar = () => getApp<{ globalData: AppData }>().globalData.lodestar;
let unsubscribe: Array<() => void> = [];

function render(page: { setData(data: Partial<Data>): void }): void {
  const app = lodestar();
  if (!app) return;
  page.setData({ view: shareView(app.sharing.current, app.uploader.status(), Date.now()) });
}

Page({
  data: <Data>{
    view: {
      sharing: false,
      headline: '',
      notice: '',
      lastSent: '',
      waiting: '',
      dropped: '',
      problem: '',
    },
    busy: false,
  },
  onLoad() {
    const app = lodestar();
    if (!app) return;
    unsubscribe = [app.sharing.onChange(() => render(this)), app.uploader.onChange(() => render(this))];
    render(this);
  },
  onShow() {
    // Coming back to the page is a good moment to send what waits (the network may be back).
    lodestar()?.uploader.flushNow();
    render(this);
  },
  onUnload() {
    for (const off of unsubscribe) off();
    unsubscribe = [];
  },
  async onStart() {
    const app = lodestar();
    if (!app) return;
    this.setData({ busy: true });
    await app.sharing.start();
    this.setData({ busy: false });
  },
  async onStop() {
    const app = lodestar();
    if (!app) return;
    this.setData({ busy: true });
    await app.sharing.stop();
    this.setData({ busy: false });
  },
});
