/**
 * GPS error as phones report it: an offset that wanders (consecutive fixes are off in nearly the same direction,
 * over tens of seconds), and a reported `accuracy` that moves with it. The offset never exceeds the accuracy the
 * fix reports, so tests can hold history figures to "within 10 % for jitter up to the fix's accuracy".
 *
 * Each part of the offset is a first-order autoregressive process (an Ornstein–Uhlenbeck process sampled at the fix
 * rate): correlation time 0 gives independent errors per fix, the worst case for distance figures.
 */
import { gaussian, type Random } from './random.js';

export interface JitterState {
  /** Offset east and north, metres. */
  dx: number;
  dy: number;
  /** Slow variation of the accuracy around its typical value, in [-1, 1]. */
  level: number;
}

export interface JitterSettings {
  /** Typical reported accuracy, metres; 0 = exact fixes. */
  typicalM: number;
  /** How long an error persists, ms; 0 = independent per fix. */
  correlationMs: number;
}

export const NO_JITTER: JitterState = { dx: 0, dy: 0, level: 0 };

/** How far the reported accuracy strays from the typical value (± this share). */
export const ACCURACY_SPREAD = 0.3;

/** The accuracy reported with a fix: whole metres, at least 1, never below the error it describes. */
export function reportedAccuracy(settings: JitterSettings, state: JitterState): number {
  return Math.max(1, Math.ceil(errorBoundM(settings, state)));
}

/** The largest offset the current state allows, metres. */
export function errorBoundM(settings: JitterSettings, state: JitterState): number {
  return settings.typicalM * (1 + ACCURACY_SPREAD * state.level);
}

function persistence(dtMs: number, correlationMs: number): number {
  return correlationMs > 0 ? Math.exp(-dtMs / correlationMs) : 0;
}

/** The error `dtMs` after `state`. Accuracy level varies ten times slower than the offset itself. */
export function stepJitter(
  state: JitterState,
  settings: JitterSettings,
  dtMs: number,
  random: Random,
): JitterState {
  const rho = persistence(dtMs, settings.correlationMs);
  const rhoLevel = persistence(dtMs, settings.correlationMs * 10);
  const fresh = Math.sqrt(1 - rho * rho);
  const level = Math.max(
    -1,
    Math.min(1, rhoLevel * state.level + Math.sqrt(1 - rhoLevel * rhoLevel) * 0.5 * gaussian(random)),
  );
  const bound = settings.typicalM * (1 + ACCURACY_SPREAD * level);
  // Half the bound per axis: most errors well inside the accuracy circle, a few clipped onto its edge.
  const sigma = bound / 2;
  let dx = rho * state.dx + fresh * sigma * gaussian(random);
  let dy = rho * state.dy + fresh * sigma * gaussian(random);
  const size = Math.hypot(dx, dy);
  if (size > bound) {
    dx *= bound / size;
    dy *= bound / size;
  }
  return { dx, dy, level };
}
