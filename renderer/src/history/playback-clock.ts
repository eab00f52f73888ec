/**
 * The playback clock of history review, as immutable state and pure transitions: the track time shown is a
 * function of the wall clock, so a slow frame never makes playback drift, and every transition is table-tested.
 */
export const PLAYBACK_SPEEDS = [1, 2, 5, 10, 30, 60, 120, 300, 600] as const;

export interface PlaybackClock {
  /** Track time range, ms since 1970. */
  from: number;
  to: number;
  /** Track time at `anchorWall` (the position while paused). */
  anchorTrack: number;
  anchorWall: number;
  /** Track milliseconds per wall millisecond. */
  speed: number;
  playing: boolean;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

export function newClock(from: number, to: number, speed = 10): PlaybackClock {
  return { from, to: Math.max(from, to), anchorTrack: from, anchorWall: 0, speed, playing: false };
}

/** The track time shown at wall time `wall`. */
export function positionAt(clock: PlaybackClock, wall: number): number {
  if (!clock.playing) return clock.anchorTrack;
  return clamp(clock.anchorTrack + (wall - clock.anchorWall) * clock.speed, clock.from, clock.to);
}

/** Whether playback has reached the end (the UI stops its frame loop then). */
export function finished(clock: PlaybackClock, wall: number): boolean {
  return positionAt(clock, wall) >= clock.to;
}

/** Start playing; playing from the end starts again from the beginning. */
export function play(clock: PlaybackClock, wall: number): PlaybackClock {
  const here = positionAt(clock, wall);
  return { ...clock, anchorTrack: here >= clock.to ? clock.from : here, anchorWall: wall, playing: true };
}

export function pause(clock: PlaybackClock, wall: number): PlaybackClock {
  return { ...clock, anchorTrack: positionAt(clock, wall), anchorWall: wall, playing: false };
}

/** Change speed without a jump: re-anchor at the current position. */
export function setSpeed(clock: PlaybackClock, wall: number, speed: number): PlaybackClock {
  if (!(speed > 0)) return clock;
  return { ...clock, anchorTrack: positionAt(clock, wall), anchorWall: wall, speed };
}

export function seek(clock: PlaybackClock, wall: number, track: number): PlaybackClock {
  return { ...clock, anchorTrack: clamp(track, clock.from, clock.to), anchorWall: wall };
}

/** Pause at the end once reached, so the clock's state says what the UI shows. */
export function settle(clock: PlaybackClock, wall: number): PlaybackClock {
  return clock.playing && finished(clock, wall) ? pause(clock, wall) : clock;
}
