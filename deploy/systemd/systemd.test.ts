/**
 * deploy/systemd/lodestar-relay.service through `systemd-analyze verify` (no running systemd needed): no unknown
 * keys, no unparsable values, an executable ExecStart. Plus the settings docs/deploy.md promises.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RELAY_CONFIG } from '../../relay/config.js';

const UNIT = new URL('./lodestar-relay.service', import.meta.url);
const TEXT = readFileSync(UNIT, 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
if (!hasAnalyze)
  console.warn('systemd-analyze is not installed (apt-get install systemd): skipping the unit check');

function settings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe('deploy/systemd/lodestar-relay.service', () => {
  it.skipIf(!hasAnalyze)('passes systemd-analyze verify without a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lodestar-unit-'));
    try {
      const unit = join(dir, 'lodestar-relay.service');
      // verify insists that ExecStart's program exists; where node lives elsewhere, point it there.
      if (existsSync('/usr/bin/node')) copyFileSync(UNIT, unit);
      else writeFileSync(unit, TEXT.replace('/usr/bin/node', process.execPath));
      const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the secret from an EnvironmentFile, restarts on failure, and is hardened', () => {
    const s = settings(TEXT);
    expect(s.get('EnvironmentFile')).toBe('/etc/lodestar/relay.env');
    expect(TEXT, 'the secret never sits in the unit itself').not.toMatch(/^Environment=.*RELAY_SECRET/m);
    expect(s.get('Restart')).toBe('on-failure');
    expect(s.get('NoNewPrivileges')).toBe('yes');
    expect(s.get('ProtectSystem')).toBe('strict');
    expect(s.get('DynamicUser')).toBe('yes');
    expect(s.get('ExecStart')).toMatch(/^\/usr\/bin\/node --import tsx relay\/main\.ts$/);
    expect(s.get('KillSignal')).toBe('SIGTERM');
    expect(parseInt(s.get('TimeoutStopSec') ?? '0', 10) * 1000).toBeGreaterThan(DEFAULT_RELAY_CONFIG.drainMs);
  });
});
