import { describe, expect, it } from 'vitest';
import { markerLook } from './marker-style.js';

describe('markerLook', () => {
  it.each([
    ['live', false, { fill: '#e6194b', fillAlpha: 0.95, ring: '#ffffff', ringWidth: 2, dashed: false }],
    ['stale', false, { fill: '#e6194b', fillAlpha: 0.4, ring: '#e6194b', ringWidth: 2, dashed: false }],
    ['offline', false, { fill: undefined, fillAlpha: 0, ring: '#6b7280', ringWidth: 2, dashed: true }],
    ['live', true, { fill: '#e6194b', fillAlpha: 0.95, ring: '#1d2330', ringWidth: 2, dashed: false }],
  ] as const)('%s (selected %s)', (state, selected, expected) => {
    expect(markerLook('#e6194b', state, selected)).toEqual(expected);
  });
});
