import { describe, expect, it } from 'vitest';
import { parseSimulateOptions, SIMULATE_HELP, SIMULATE_OPTIONS } from './options.js';
import { AREAS } from './plane.js';

describe('npm run simulate options', () => {
  it('defaults: 4 members at 1 Hz on the local Redis, Shenzhen, GCJ-02', () => {
    const parsed = parseSimulateOptions([], {});
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({
        members: 4,
        rate: 1,
        redis: 'redis://127.0.0.1:6379',
        channel: 'location_update',
        centre: AREAS.shenzhen,
        crs: 'gcj02',
        jitterM: 10,
        firstUid: 42,
        kinds: ['scooter', 'walk', 'car'],
      }),
    });
    const value = parsed.ok ? parsed.value : undefined;
    expect([value?.ingest, value?.seed, value?.durationS]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    [['--members', '10', '--rate=5'], {}, { members: 10, rate: 5 }],
    [[], { REDIS_URL: 'redis://10.0.0.2:6380' }, { redis: 'redis://10.0.0.2:6380' }],
    [['--redis', 'redis://a:1'], { REDIS_URL: 'redis://b:2' }, { redis: 'redis://a:1' }],
    [['--seed', '7', '--duration', '30'], {}, { seed: 7, durationS: 30 }],
    [['--area', 'guangzhou'], {}, { centre: AREAS.guangzhou }],
    [
      ['--centre', '121.47,31.23', '--crs', 'wgs84'],
      {},
      { centre: { lon: 121.47, lat: 31.23 }, crs: 'wgs84' },
    ],
    [['--kinds', 'walk'], {}, { kinds: ['walk'] }],
    [
      ['--ingest', 'http://127.0.0.1:30582', '--members', '1', '--token', 'abc'],
      {},
      { ingest: 'http://127.0.0.1:30582', token: 'abc' },
    ],
    [['--ingest', 'http://r:1'], { RELAY_SECRET: 's3cret' }, { secret: 's3cret' }],
    [[], { RELAY_SECRET: 's3cret' }, { secret: undefined }],
  ])('%j with env %j gives %o', (argv, env, expected) => {
    const parsed = parseSimulateOptions(argv, env);
    expect(parsed).toEqual({ ok: true, value: expect.objectContaining(expected) });
  });

  it.each([
    [['--members', '0'], '--members must be an integer from 1 to 10000, got "0"'],
    [['--rate', 'fast'], '--rate must be a number'],
    [['--redis', 'http://x'], '--redis must be a redis:// or rediss:// URL'],
    [['--area', 'paris'], '--area must be one of shenzhen, guangzhou'],
    [['--centre', '113'], '--centre must be lon,lat'],
    [['--kinds', 'walk,jet'], '--kinds has unknown kinds jet'],
    [['--ingest', 'http://r:1'], '--ingest needs --token'],
    [['--ingest', 'http://r:1', '--token', 't'], 'one --token is one member'],
    [['--token', 't'], '--token is for --ingest only'],
    [['--bogus', '1'], 'unknown option --bogus'],
    [['extra'], 'extra'],
  ])('%j is refused: %s', (argv, message) => {
    const parsed = parseSimulateOptions(argv, {});
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.join('\n')).toContain(message);
  });

  it('a bad environment value names the variable', () => {
    const parsed = parseSimulateOptions([], { REDIS_URL: 'nope' });
    expect(parsed.ok ? '' : parsed.errors.join()).toContain('REDIS_URL must be');
  });

  it('--help lists every option with its variable and default', () => {
    expect(parseSimulateOptions(['--help'], {})).toEqual({ ok: false, help: true, errors: [] });
    for (const option of Object.values(SIMULATE_OPTIONS)) {
      expect(SIMULATE_HELP).toContain(`--${option.flag}`);
      if (option.env) expect(SIMULATE_HELP).toContain(option.env);
      if (option.default) expect(SIMULATE_HELP).toContain(`default ${option.default}`);
    }
  });

  it('every default parses', () => {
    for (const option of Object.values(SIMULATE_OPTIONS))
      if (option.default !== undefined) expect(option.parse(option.default)).toHaveProperty('value');
  });
});
