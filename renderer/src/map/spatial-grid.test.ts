import { describe, expect, it } from 'vitest';
import { SpatialGrid } from './spatial-grid.js';

describe('SpatialGrid', () => {
  it('finds markers near a rectangle, follows moves and forgets deleted ones', () => {
    const grid = new SpatialGrid(4, 64);
    grid.set(0, 10, 10);
    grid.set(1, 100, 10);
    grid.set(2, -50, -50);
    grid.set(3, 1000, 700);
    expect([...grid.query(0, 0, 20, 20)].sort()).toEqual([0]);
    expect([...grid.query(-60, -60, 70, 20)].sort()).toEqual([0, 1, 2]);
    grid.set(0, 990, 690);
    expect([...grid.query(0, 0, 20, 20)]).toEqual([]);
    expect([...grid.query(980, 680, 1010, 710)].sort()).toEqual([0, 3]);
    grid.delete(3);
    expect([...grid.query(980, 680, 1010, 710)]).toEqual([0]);
    grid.clear();
    expect([...grid.query(-1000, -1000, 2000, 2000)]).toEqual([]);
  });
});
