import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rendererIsStale } from './renderer-build.js';

describe('rendererIsStale', () => {
  const root = mkdtempSync(join(tmpdir(), 'lodestar-renderer-build-'));
  const out = join(root, 'out/renderer');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const touch = (path: string, seconds: number) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'x');
    utimesSync(path, seconds, seconds);
  };

  it('is stale when nothing was built', () => {
    touch(join(root, 'renderer/src/main.tsx'), 1_000);
    expect(rendererIsStale(root, out)).toBe(true);
  });

  it('is fresh when the build is newer than every source', () => {
    touch(join(out, 'index.html'), 2_000);
    expect(rendererIsStale(root, out)).toBe(false);
  });

  it.each(['renderer/src/map/Layer.tsx', 'contract/station-api.ts', 'protocol/fix-limits.ts'])(
    'is stale when %s changed after the build',
    (file) => {
      touch(join(root, file), 3_000);
      expect(rendererIsStale(root, out)).toBe(true);
      touch(join(root, file), 1_500);
    },
  );

  it('ignores node_modules and dot folders', () => {
    touch(join(root, 'renderer/node_modules/x/index.js'), 9_000);
    touch(join(root, 'renderer/.cache/y'), 9_000);
    expect(rendererIsStale(root, out)).toBe(false);
  });
});
