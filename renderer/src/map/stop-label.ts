/**
 * The font of the stops' numbers on the history canvas. Shared with history's idle warm-up (warm-history.ts),
 * which resolves it before the first load: a canvas's first `fillText` in a font costs ~13 ms.
 */
export const STOP_LABEL_FONT = 'bold 11px sans-serif';
