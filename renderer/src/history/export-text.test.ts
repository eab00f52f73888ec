import { describe, expect, it } from 'vitest';
import { exportedName } from './export-text.js';

describe('exportedName', () => {
  it.each([
    // Browser host: the station's path is not shown, the file name is.
    [
      { path: '/tmp/lodestar-demo-x/exports/lodestar_6-members_1.kml', downloadUrl: '/exports/a' },
      'lodestar_6-members_1.kml',
    ],
    [{ path: 'C:\\station\\exports\\a.gpx', downloadUrl: '/exports/a' }, 'a.gpx'],
    // Electron: the path the dispatcher chose.
    [{ path: '/home/me/Desktop/a.gpx' }, '/home/me/Desktop/a.gpx'],
  ])('%j → %s', (result, expected) => {
    expect(exportedName(result)).toBe(expected);
  });
});
