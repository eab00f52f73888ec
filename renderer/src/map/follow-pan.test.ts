import { describe, expect, it } from 'vitest';
import { followPan } from './follow-pan.js';

describe('followPan', () => {
  // A 1000 × 600 map: the middle is x 200-800, y 120-480.
  it.each([
    { what: 'at the centre: the map keeps still', x: 500, y: 300, want: undefined },
    { what: 'inside the middle, near its edge: still', x: 790, y: 130, want: undefined },
    { what: 'on the middle box edge: still', x: 200, y: 480, want: undefined },
    { what: 'into the right band: centred again', x: 850, y: 300, want: { dx: 350, dy: 0 } },
    { what: 'into the top band: centred again', x: 500, y: 100, want: { dx: 0, dy: -200 } },
    { what: 'off the map to the bottom left: centred', x: -300, y: 900, want: { dx: -800, dy: 600 } },
    { what: 'fractions round to whole pixels', x: 950.4, y: 300.6, want: { dx: 450, dy: 1 } },
  ])('$what', ({ x, y, want }) => {
    expect(followPan(x, y, 1000, 600)).toEqual(want);
  });

  it('keeps a band of at least 24 px on a small map', () => {
    expect(followPan(20, 50, 100, 100)).toEqual({ dx: -30, dy: 0 });
    expect(followPan(30, 50, 100, 100)).toBeUndefined();
  });
});
