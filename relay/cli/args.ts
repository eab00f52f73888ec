/**
 * Argument parsing for the relay's command-line tools: pure functions from argv to options or errors, tested by
 * tables; the scripts are thin shells around them.
 */
import { UID_PATTERN } from '../../protocol/fix.js';
import type { MemberScope } from '../../protocol/token.js';
import { tokenFromText } from '../../protocol/token-text.js';

/** `8h`, `30m`, `45s`, `7d` or a plain number of seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = n * unit;
  return seconds > 0 ? seconds : undefined;
}

/** Collect `--name value` and `--name=value` pairs; repeated names accumulate. */
function collect(argv: readonly string[]): {
  values: Map<string, string[]>;
  errors: string[];
  positional: string[];
} {
  const values = new Map<string, string[]>();
  const errors: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'help') {
      values.set('help', ['']);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) errors.push(`--${name} needs a value`);
    else values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values, errors, positional };
}

export type TokenRequest = (
  | { role: 'operator'; id: string; members: MemberScope; ttlSeconds: number }
  | { role: 'member'; uid: string; ttlSeconds: number }
) & {
  /** Write the token to this file (mode 0600) instead of stdout. */
  out?: string;
};

export type ArgsResult<T> = { ok: true; value: T } | { ok: false; help: boolean; errors: string[] };

export const TOKEN_USAGE = `Usage:
  npm run token -- operator --id <operator> --members <uid,uid,...|'*'> [--ttl 8h] [--out FILE]
  npm run token -- member --uid <uid> [--ttl 30d] [--out FILE]

Mints a token signed with RELAY_SECRET (HS256) and prints it alone on stdout.
  --ttl   lifetime: 45s, 30m, 8h, 7d or seconds (default: 8h operator, 30d member); relays refuse
          tokens that live longer than their RELAY_TOKEN_MAX_TTL (default 30d)
  --out   write the token to FILE (created or replaced, mode 0600) instead of stdout. Redirecting stdout
          works too, but only with npm run -s: without it npm prints its banner into the file.
`;

const DEFAULT_TTL = { operator: 8 * 3600, member: 30 * 86_400 };

export function parseTokenArgs(argv: readonly string[]): ArgsResult<TokenRequest> {
  const { values, errors, positional } = collect(argv);
  if (values.has('help')) return { ok: false, help: true, errors: [] };
  const role = positional[0];
  if (role !== 'operator' && role !== 'member') {
    return { ok: false, help: false, errors: ['first argument must be "operator" or "member"', ...errors] };
  }
  const allowed = role === 'operator' ? ['id', 'members', 'ttl', 'out'] : ['uid', 'ttl', 'out'];
  for (const name of values.keys())
    if (!allowed.includes(name)) errors.push(`unknown option --${name} for ${role}`);
  const one = (name: string) => values.get(name)?.at(-1);
  let ttlSeconds: number = DEFAULT_TTL[role];
  const ttl = one('ttl');
  if (ttl !== undefined) {
    const parsed = parseDuration(ttl);
    if (parsed === undefined)
      errors.push(`--ttl must look like 45s, 30m, 8h, 7d or a number of seconds, got "${ttl}"`);
    else ttlSeconds = parsed;
  }
  const out = one('out');
  if (out === '') errors.push('--out needs a file name');
  const output = out ? { out } : {};
  if (role === 'member') {
    const uid = one('uid');
    if (!uid || !UID_PATTERN.test(uid)) errors.push('--uid is required: 1-64 of [A-Za-z0-9_.:-]');
    return errors.length
      ? { ok: false, help: false, errors }
      : { ok: true, value: { role, uid: uid as string, ttlSeconds, ...output } };
  }
  const id = one('id');
  if (!id || id.length > 128) errors.push('--id is required (the operator name, at most 128 characters)');
  const membersText = values.get('members')?.join(',');
  let members: MemberScope = [];
  if (membersText === undefined) errors.push(`--members is required: a comma-separated list of uids, or '*'`);
  else if (membersText.trim() === '*') members = '*';
  else {
    const list = membersText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((u) => !UID_PATTERN.test(u));
    if (bad.length) errors.push(`--members has invalid uids: ${bad.slice(0, 5).join(', ')}`);
    if (!list.length) errors.push('--members lists no uid');
    members = [...new Set(list)];
  }
  return errors.length
    ? { ok: false, help: false, errors }
    : { ok: true, value: { role, id: id as string, members, ttlSeconds, ...output } };
}

export interface WatchArgs {
  url: string;
  /** Trimmed; empty when `tokenFile` is given (the shell reads and checks the file). */
  token: string;
  tokenFile?: string;
  members: string[];
  /** File keeping the last position seen per member (watch with `since` from it). */
  state?: string;
  /** PEM file of a certificate authority trusted for wss:// besides the system's. */
  caFile?: string;
}

export const WATCH_USAGE = `Usage:
  npm run watch -- --url ws://127.0.0.1:30582 --token-file FILE --member 42 [--member 43 ...] [--state FILE]
  [--ca-file FILE]
  npm run watch -- --url ws://127.0.0.1:30582 --token <operator token> --member 42 ...

A command-line station: prints each received fix as one JSON line on stdout; status, errors and the close code go to
stderr. --member also takes comma-separated lists. The token may come from LODESTAR_TOKEN instead of --token, or
from a file holding it alone (--token-file, LODESTAR_TOKEN_FILE; see npm run token -- --out).
--state FILE keeps the last position seen per member in FILE and, on the next run, watches from there: the relay
replays what was missed (lines of replayed fixes come first), or says on stderr why it cannot.
--ca-file FILE (or LODESTAR_CA_FILE) trusts the certificate authority in FILE (PEM) for a wss:// relay, besides the
system's; certificates are always verified.
Exit status: 0 after a normal close, 1 after any other close or refusal, 2 on bad arguments.
`;

export function parseWatchArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ArgsResult<WatchArgs> {
  const { values, errors, positional } = collect(argv);
  if (values.has('help')) return { ok: false, help: true, errors: [] };
  for (const p of positional) errors.push(`unexpected argument "${p}"`);
  for (const name of values.keys())
    if (!['url', 'token', 'token-file', 'member', 'state', 'ca-file'].includes(name))
      errors.push(`unknown option --${name}`);
  const state = values.get('state')?.at(-1);
  if (state === '') errors.push('--state needs a file name');
  const caFile = values.get('ca-file')?.at(-1) ?? (env.LODESTAR_CA_FILE || undefined);
  if (caFile === '') errors.push('--ca-file needs a file name');
  const url = values.get('url')?.at(-1) ?? 'ws://127.0.0.1:30582';
  if (!/^wss?:\/\//.test(url)) errors.push(`--url must start with ws:// or wss://, got "${url}"`);
  const tokenFile = values.get('token-file')?.at(-1) ?? (env.LODESTAR_TOKEN_FILE || undefined);
  let token = (values.get('token')?.at(-1) ?? env.LODESTAR_TOKEN ?? '').trim();
  if (tokenFile !== undefined && token !== '') errors.push('give either --token or --token-file, not both');
  else if (tokenFile === '') errors.push('--token-file needs a file name');
  else if (tokenFile === undefined && !token)
    errors.push('--token-file or --token (or LODESTAR_TOKEN_FILE, LODESTAR_TOKEN) is required');
  else if (token.includes('\n')) {
    // e.g. --token "$(cat file)" of a file with npm's banner: a header with a newline would be refused unclearly.
    const checked = tokenFromText(token, '--token');
    if (checked.ok) token = checked.token;
    else errors.push(checked.message);
  }
  const members = [
    ...new Set(
      (values.get('member') ?? [])
        .flatMap((m) => m.split(','))
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
  if (!members.length) errors.push('at least one --member is required');
  const bad = members.filter((u) => !UID_PATTERN.test(u));
  if (bad.length) errors.push(`invalid member ids: ${bad.slice(0, 5).join(', ')}`);
  return errors.length
    ? { ok: false, help: false, errors }
    : {
        ok: true,
        value: {
          url,
          token,
          members,
          ...(tokenFile ? { tokenFile } : {}),
          ...(state ? { state } : {}),
          ...(caFile ? { caFile } : {}),
        },
      };
}
