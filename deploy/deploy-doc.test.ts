/**
 * docs/deploy.md stays in step with what it documents: every relay setting (the option table behind --help) and
 * every shipped file under deploy/ is named there, and every test file it cites exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RELAY_OPTIONS } from '../relay/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [relative(ROOT, join(dir, e.name))],
  );
}

describe('docs/deploy.md', () => {
  it.each(Object.values(RELAY_OPTIONS).map((o) => o.env))('names %s', (env) => {
    expect(DOC).toContain(`\`${env}\``);
  });

  it.each(
    files(join(ROOT, 'deploy')).filter((f) => !/\.test\.ts$|instructions\.ts$|miniprogram-post\.ts$/.test(f)),
  )('names %s', (file) => {
    const name = file.split('/').at(-1) as string;
    expect(DOC.includes(file) || DOC.includes(`\`${name}\``), file).toBe(true);
  });

  it('cites only test files that exist', () => {
    const cited = [...DOC.matchAll(/`([\w./-]+\.test\.ts)`/g)].map((m) => m[1] as string);
    expect(cited.length).toBeGreaterThan(5);
    for (const file of cited.filter((f) => !f.includes('*')))
      expect(existsSync(join(ROOT, file)), file).toBe(true);
  });
});
