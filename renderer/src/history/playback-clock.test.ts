import { describe, expect, it } from 'vitest';
import { finished, newClock, pause, play, positionAt, seek, setSpeed, settle } from './playback-clock.js';

describe('playback clock', () => {
  const base = newClock(1_000_000, 1_060_000, 10);

  it.each([
    ['paused at start', base, 5_000, 1_000_000],
    ['playing 1 s at 10×', play(base, 0), 1_000, 1_010_000],
    ['playing past the end clamps', play(base, 0), 100_000, 1_060_000],
    ['paused after 2 s', pause(play(base, 0), 2_000), 50_000, 1_020_000],
    ['speed to 60× after 1 s, then 0.5 s more', setSpeed(play(base, 0), 1_000, 60), 1_500, 1_040_000],
    ['seek while playing', seek(play(base, 0), 1_000, 1_030_000), 2_000, 1_040_000],
    ['seek before the start clamps', seek(base, 0, 0), 0, 1_000_000],
    ['seek past the end clamps', seek(base, 0, 2_000_000), 0, 1_060_000],
  ])('%s', (_name, clock, wall, expected) => {
    expect(positionAt(clock, wall)).toBe(expected);
  });

  it('play at the end starts over from the beginning', () => {
    const atEnd = seek(base, 0, base.to);
    expect(finished(atEnd, 0)).toBe(true);
    expect(positionAt(play(atEnd, 10), 10)).toBe(base.from);
  });

  it('settle pauses at the end and leaves a running clock alone', () => {
    const running = play(base, 0);
    expect(settle(running, 1_000)).toBe(running);
    const ended = settle(running, 10_000);
    expect(ended.playing).toBe(false);
    expect(positionAt(ended, 99_999)).toBe(base.to);
  });

  it.each([0, -1, Number.NaN])('ignores a speed of %s', (speed) => {
    expect(setSpeed(base, 0, speed)).toBe(base);
  });

  it('an empty range is a zero-length clock', () => {
    const clock = newClock(5, 1);
    expect(clock.to).toBe(5);
    expect(finished(play(clock, 0), 0)).toBe(true);
  });
});
