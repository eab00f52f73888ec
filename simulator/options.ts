/**
 * `npm run simulate` options: one table gives each option's flag, environment variable, default and description;
 * parsing and `--help` both come from it (protocol/option-table.ts, as for the relay and the station's web host).
 */
import {
  integer,
  number,
  oneOf,
  optionHelp,
  parseOptions,
  text,
  urlOf,
  type Env,
  type OptionTable,
} from '../protocol/option-table.js';
import type { LonLat } from '../protocol/crs.js';
import { AREAS, type SimulatedCrs } from './plane.js';
import { MEMBER_KINDS, type MemberKind } from './track.js';

export interface SimulateOptions {
  members: number;
  rate: number;
  redis: string;
  channel: string;
  ingest: string | undefined;
  token: string | undefined;
  secret: string | undefined;
  seed: number | undefined;
  durationS: number | undefined;
  centre: LonLat;
  crs: SimulatedCrs;
  jitterM: number;
  firstUid: number;
  kinds: MemberKind[];
  stopsPerHour: number;
  dropoutsPerHour: number;
  radiusM: number;
}

export const SIMULATE_OPTIONS: OptionTable<SimulateOptions & { area: keyof typeof AREAS }> = {
  members: {
    flag: 'members',
    default: '4',
    description: 'simulated members',
    parse: integer(1, 10_000),
  },
  rate: {
    flag: 'rate',
    default: '1',
    description: 'fixes per second per member (Hz)',
    parse: number(0.01, 50),
  },
  redis: {
    flag: 'redis',
    env: 'REDIS_URL',
    default: 'redis://127.0.0.1:6379',
    description: 'Redis to PUBLISH PHP-style fixes on (unless --ingest)',
    parse: urlOf(['redis:', 'rediss:']),
  },
  channel: { flag: 'channel', default: 'location_update', description: 'Redis channel', parse: text },
  ingest: {
    flag: 'ingest',
    description: "post to a relay's ingest API instead (http://host:30582), as the mini-program does",
    parse: urlOf(['http:', 'https:']),
  },
  token: {
    flag: 'token',
    env: 'LODESTAR_MEMBER_TOKEN',
    description: 'with --ingest: a member token (then --members 1; the relay takes its uid)',
    parse: text,
  },
  secret: {
    flag: 'secret',
    env: 'RELAY_SECRET',
    description: "with --ingest: the relay's secret, to mint a member token per simulated member",
    parse: text,
  },
  seed: {
    flag: 'seed',
    unset: 'random, printed',
    description: 'same seed, same paths',
    parse: integer(0, 2 ** 32),
  },
  durationS: {
    flag: 'duration',
    unset: 'until Ctrl-C',
    description: 'seconds to run',
    parse: number(1, 1e9),
  },
  area: {
    flag: 'area',
    default: 'shenzhen',
    description: `area centre: ${Object.keys(AREAS).join(', ')}`,
    parse: oneOf(Object.keys(AREAS) as (keyof typeof AREAS)[]),
  },
  centre: {
    flag: 'centre',
    description: 'area centre as lon,lat (WGS-84), instead of --area',
    parse: (t) => {
      const [lon, lat, extra] = t.split(',').map((s) => Number(s.trim()));
      if (
        extra !== undefined ||
        !Number.isFinite(lon) ||
        !Number.isFinite(lat) ||
        Math.abs(lat!) > 85 ||
        Math.abs(lon!) > 180
      )
        return { error: `must be lon,lat in degrees, got "${t}"` };
      return { value: { lon: lon as number, lat: lat as number } };
    },
  },
  crs: {
    flag: 'crs',
    default: 'gcj02',
    description: 'coordinates sent: gcj02 (wx.getLocation, as PHP forwards it) or wgs84',
    parse: oneOf(['gcj02', 'wgs84'] as const),
  },
  jitterM: {
    flag: 'jitter',
    default: '10',
    description: 'typical GPS accuracy, metres (0: exact)',
    parse: number(0, 500),
  },
  firstUid: {
    flag: 'first-uid',
    default: '42',
    description: 'uid of the first member; the others count up',
    parse: integer(0, 2 ** 53 - 1e4),
  },
  kinds: {
    flag: 'kinds',
    default: 'scooter,walk,car',
    description: `member kinds, cycled: ${MEMBER_KINDS.join(', ')}`,
    parse: (t) => {
      const kinds = t.split(',').map((k) => k.trim());
      const bad = kinds.filter((k) => !(MEMBER_KINDS as readonly string[]).includes(k));
      return bad.length
        ? { error: `has unknown kinds ${bad.join(', ')} (${MEMBER_KINDS.join(', ')})` }
        : { value: kinds as MemberKind[] };
    },
  },
  stopsPerHour: {
    flag: 'stops-per-hour',
    default: '1',
    description: 'mean stops (2-15 min) per member per hour',
    parse: number(0, 6),
  },
  dropoutsPerHour: {
    flag: 'dropouts-per-hour',
    default: '0.5',
    description: 'mean dropouts (20 s-3 min, no fixes sent) per member per hour',
    parse: number(0, 10),
  },
  radiusM: {
    flag: 'radius',
    default: '3000',
    description: 'metres members mostly stay within',
    parse: number(200, 100_000),
  },
};

export const SIMULATE_HELP = optionHelp(SIMULATE_OPTIONS, {
  usage: 'Usage: npm run simulate -- [options]',
  about:
    'Moves simulated members along city streets and sends their fixes as the PHP backend publishes them on Redis,\n' +
    "or as the mini-program posts them to a relay's ingest API (--ingest).",
});

export type ParsedSimulateOptions =
  { ok: true; value: SimulateOptions } | { ok: false; help: boolean; errors: string[] };

export function parseSimulateOptions(argv: readonly string[], env: Env): ParsedSimulateOptions {
  const parsed = parseOptions(SIMULATE_OPTIONS, argv, env);
  if (!parsed.ok) return parsed.help ? { ok: false, help: true, errors: [] } : parsed;
  const out = parsed.values;
  const errors: string[] = [];
  const ingest = out.ingest as string | undefined;
  if (ingest === undefined && parsed.from.token === 'flag') errors.push('--token is for --ingest only');
  if (ingest !== undefined) {
    if (out.token === undefined && out.secret === undefined)
      errors.push('--ingest needs --token (one member) or --secret / RELAY_SECRET (a token per member)');
    if (out.token !== undefined && out.members !== 1)
      errors.push('one --token is one member: use --members 1, or --secret to mint a token per member');
  }
  if (errors.length) return { ok: false, help: false, errors };
  const { area = 'shenzhen', ...options } = out as SimulateOptions & { area: keyof typeof AREAS };
  return {
    ok: true,
    value: {
      ...options,
      centre: options.centre ?? AREAS[area],
      // Only ingest uses them: a RELAY_SECRET in the environment is not a reason to carry it around.
      token: ingest === undefined ? undefined : options.token,
      secret: ingest === undefined ? undefined : options.secret,
    },
  };
}
