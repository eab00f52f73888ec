/**
 * The running side of playback: owns a PlaybackClock, ticks it once per animation frame while playing and tells
 * listeners the track time. Outside React so the marker moves every frame without re-rendering the page.
 */
import {
  newClock,
  pause,
  play,
  positionAt,
  seek,
  setSpeed,
  settle,
  type PlaybackClock,
} from './playback-clock.js';

export interface PlaybackSnapshot {
  time: number;
  playing: boolean;
  speed: number;
  from: number;
  to: number;
  /** The member the map keeps in view as playback moves it (one at most); undefined: the map stays put. */
  followed: string | undefined;
}

export class PlaybackController {
  private clock: PlaybackClock = newClock(0, 0);
  private readonly listeners = new Set<(snapshot: PlaybackSnapshot) => void>();
  private readonly showListeners = new Set<(uid: string, time: number) => void>();
  private frame: number | undefined;
  private followed: string | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  reset(from: number, to: number): void {
    this.clock = newClock(from, to, this.clock.speed);
    // A newly loaded period starts with the map where the dispatcher put it (the fit of the period).
    this.followed = undefined;
    this.stopFrames();
    this.emit();
  }

  /** Keep one member in view during playback (the map layer pans); undefined stops. Panning by hand stops it. */
  follow(uid: string | undefined): void {
    if (uid === this.followed) return;
    this.followed = uid;
    this.emit();
  }

  toggle(): void {
    const wall = this.now();
    this.clock = this.clock.playing ? pause(this.clock, wall) : play(this.clock, wall);
    if (this.clock.playing) this.startFrames();
    this.emit();
  }

  setSpeed(speed: number): void {
    this.clock = setSpeed(this.clock, this.now(), speed);
    this.emit();
  }

  seek(time: number): void {
    this.clock = seek(this.clock, this.now(), time);
    this.emit();
  }

  /**
   * Seeks to a moment the dispatcher picked for one member (a stop, a gap, a click on their timeline row) and asks
   * the map to show where that member was then. Scrubbing and playback only seek: the map stays where it was put.
   */
  show(uid: string, time: number): void {
    this.seek(time);
    for (const listener of this.showListeners) listener(uid, time);
  }

  onShow(listener: (uid: string, time: number) => void): () => void {
    this.showListeners.add(listener);
    return () => this.showListeners.delete(listener);
  }

  snapshot(): PlaybackSnapshot {
    const { playing, speed, from, to } = this.clock;
    return { time: positionAt(this.clock, this.now()), playing, speed, from, to, followed: this.followed };
  }

  subscribe(listener: (snapshot: PlaybackSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot());
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.stopFrames();
    this.listeners.clear();
    this.showListeners.clear();
  }

  private startFrames(): void {
    if (this.frame !== undefined) return;
    const tick = (): void => {
      this.clock = settle(this.clock, this.now());
      this.emit();
      this.frame = this.clock.playing ? requestAnimationFrame(tick) : undefined;
    };
    this.frame = requestAnimationFrame(tick);
  }

  private stopFrames(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private emit(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners) listener(snapshot);
  }
}
