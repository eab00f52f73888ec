/**
 * `npm run simulate` options: one table gives each option's flag, environment variable, default and description;
 * parsing and `--help` both come from it. Splitting argv is left to node:util `parseArgs` (as the station's
 * web host does): relay/cli/args.ts keeps its splitter private to the relay's tools and has no option table, and
 * relay/config.ts's table is typed to the relay's own settings, so neither fits without changing relay/.
 */
import { parseArgs } from 'node:util';
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

type Parsed = { value: unknown } | { error: string };

interface OptionSpec {
  key: keyof SimulateOptions | 'area';
  flag: string;
  env?: string;
  /** Parsed like a given value when the option is not given; `unset` says in --help what happens without one. */
  default?: string;
  unset?: string;
  description: string;
  parse(text: string): Parsed;
}

const number =
  (min: number, max: number, integer = false) =>
  (text: string): Parsed => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      return { error: `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"` };
    return { value: n };
  };

const url =
  (schemes: readonly string[]) =>
  (text: string): Parsed => {
    try {
      const parsed = new URL(text);
      if (schemes.includes(parsed.protocol)) return { value: text };
    } catch {
      // reported below
    }
    return { error: `must be a ${schemes.map((s) => `${s}//`).join(' or ')} URL, got "${text}"` };
  };

const text = (t: string): Parsed => (t === '' ? { error: 'must not be empty' } : { value: t });

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (t: string): Parsed =>
    values.includes(t as T) ? { value: t } : { error: `must be one of ${values.join(', ')}, got "${t}"` };

export const SIMULATE_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'members',
    flag: 'members',
    default: '4',
    description: 'simulated members',
    parse: number(1, 10_000, true),
  },
  {
    key: 'rate',
    flag: 'rate',
    default: '1',
    description: 'fixes per second per member (Hz)',
    parse: number(0.01, 50),
  },
  {
    key: 'redis',
    flag: 'redis',
    env: 'REDIS_URL',
    default: 'redis://127.0.0.1:6379',
    description: 'Redis to PUBLISH PHP-style fixes on (unless --ingest)',
    parse: url(['redis:', 'rediss:']),
  },
  { key: 'channel', flag: 'channel', default: 'location_update', description: 'Redis channel', parse: text },
  {
    key: 'ingest',
    flag: 'ingest',
    description: "post to a relay's ingest API instead (http://host:30582), as the mini-program does",
    parse: url(['http:', 'https:']),
  },
  {
    key: 'token',
    flag: 'token',
    env: 'LODESTAR_MEMBER_TOKEN',
    description: 'with --ingest: a member token (then --members 1; the relay takes its uid)',
    parse: text,
  },
  {
    key: 'secret',
    flag: 'secret',
    env: 'RELAY_SECRET',
    description: "with --ingest: the relay's secret, to mint a member token per simulated member",
    parse: text,
  },
  {
    key: 'seed',
    flag: 'seed',
    unset: 'random, printed',
    description: 'same seed, same paths',
    parse: number(0, 2 ** 32, true),
  },
  {
    key: 'durationS',
    flag: 'duration',
    unset: 'until Ctrl-C',
    description: 'seconds to run',
    parse: number(1, 1e9),
  },
  {
    key: 'area',
    flag: 'area',
    default: 'shenzhen',
    description: `area centre: ${Object.keys(AREAS).join(', ')}`,
    parse: oneOf(Object.keys(AREAS)),
  },
  {
    key: 'centre',
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
      return { value: { lon, lat } };
    },
  },
  {
    key: 'crs',
    flag: 'crs',
    default: 'gcj02',
    description: 'coordinates sent: gcj02 (wx.getLocation, as PHP forwards it) or wgs84',
    parse: oneOf(['gcj02', 'wgs84'] as const),
  },
  {
    key: 'jitterM',
    flag: 'jitter',
    default: '10',
    description: 'typical GPS accuracy, metres (0: exact)',
    parse: number(0, 500),
  },
  {
    key: 'firstUid',
    flag: 'first-uid',
    default: '42',
    description: 'uid of the first member; the others count up',
    parse: number(0, 2 ** 53 - 1e4, true),
  },
  {
    key: 'kinds',
    flag: 'kinds',
    default: 'scooter,walk,car',
    description: `member kinds, cycled: ${MEMBER_KINDS.join(', ')}`,
    parse: (t) => {
      const kinds = t.split(',').map((k) => k.trim());
      const bad = kinds.filter((k) => !(MEMBER_KINDS as readonly string[]).includes(k));
      return bad.length
        ? { error: `has unknown kinds ${bad.join(', ')} (${MEMBER_KINDS.join(', ')})` }
        : { value: kinds };
    },
  },
  {
    key: 'stopsPerHour',
    flag: 'stops-per-hour',
    default: '1',
    description: 'mean stops (2-15 min) per member per hour',
    parse: number(0, 6),
  },
  {
    key: 'dropoutsPerHour',
    flag: 'dropouts-per-hour',
    default: '0.5',
    description: 'mean dropouts (20 s-3 min, no fixes sent) per member per hour',
    parse: number(0, 10),
  },
  {
    key: 'radiusM',
    flag: 'radius',
    default: '3000',
    description: 'metres members mostly stay within',
    parse: number(200, 100_000),
  },
];

export const SIMULATE_HELP = [
  'Usage: npm run simulate -- [options]',
  '',
  'Moves simulated members along city streets and sends their fixes as the PHP backend publishes them on Redis,',
  "or as the mini-program posts them to a relay's ingest API (--ingest). Flags win over environment variables.",
  '',
  ...SIMULATE_OPTIONS.map((o) => {
    const head = `  --${o.flag} <value>`.padEnd(30);
    const fallback = o.default ?? o.unset;
    return `${head}${o.description}${o.env ? ` [${o.env}]` : ''}${fallback ? `; default ${fallback}` : ''}`;
  }),
  '  -h, --help'.padEnd(30) + 'show this help',
  '',
].join('\n');

export type ParsedSimulateOptions =
  { ok: true; value: SimulateOptions } | { ok: false; help: boolean; errors: string[] };

export function parseSimulateOptions(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ParsedSimulateOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(SIMULATE_OPTIONS.map((o) => [o.flag, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, help: false, errors: [error instanceof Error ? error.message : String(error)] };
  }
  if (values.help) return { ok: false, help: true, errors: [] };

  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  for (const spec of SIMULATE_OPTIONS) {
    const flagValue = values[spec.flag];
    const envValue = spec.env ? env[spec.env] : undefined;
    const [raw, source] =
      typeof flagValue === 'string'
        ? [flagValue, `--${spec.flag}`]
        : envValue
          ? [envValue, spec.env as string]
          : [spec.default, `the default of --${spec.flag}`];
    if (raw === undefined) continue;
    const parsed = spec.parse(raw);
    if ('error' in parsed) errors.push(`${source} ${parsed.error}`);
    else out[spec.key] = parsed.value;
  }
  const ingest = out.ingest as string | undefined;
  if (ingest === undefined && out.token !== undefined && typeof values.token === 'string')
    errors.push('--token is for --ingest only');
  if (ingest !== undefined) {
    if (out.token === undefined && out.secret === undefined)
      errors.push('--ingest needs --token (one member) or --secret / RELAY_SECRET (a token per member)');
    if (out.token !== undefined && out.members !== 1)
      errors.push('one --token is one member: use --members 1, or --secret to mint a token per member');
  }
  if (errors.length) return { ok: false, help: false, errors };
  const { area, ...options } = out as unknown as SimulateOptions & { area: keyof typeof AREAS };
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
