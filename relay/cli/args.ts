/**
 * Argument parsing for the relay's command-line tools: an option table each (protocol/option-table.ts gives the
 * parsing and the help), checks between options as pure functions tested by tables; the scripts are thin shells.
 */
import { UID_PATTERN } from '../../protocol/fix.js';
import type { MemberScope } from '../../protocol/token.js';
import {
  list,
  optionHelp,
  parseOptions,
  text,
  urlOf,
  type Env,
  type OptionTable,
  type Parsed,
} from '../../protocol/option-table.js';
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

export type TokenRequest = (
  | { role: 'operator'; id: string; members: MemberScope; ttlSeconds: number }
  | { role: 'member'; uid: string; ttlSeconds: number }
) & {
  /** Write the token to this file (mode 0600) instead of stdout. */
  out?: string;
};

export type ArgsResult<T> = { ok: true; value: T } | { ok: false; help: boolean; errors: string[] };

const DEFAULT_TTL = { operator: 8 * 3600, member: 30 * 86_400 };

const duration = (t: string): Parsed<number> => {
  const seconds = parseDuration(t);
  return seconds === undefined
    ? { error: `must look like 45s, 30m, 8h, 7d or a number of seconds, got "${t}"` }
    : { value: seconds };
};

interface TokenOptions {
  id: string;
  members: MemberScope;
  uid: string;
  ttl: number;
  out: string;
}

export const TOKEN_OPTIONS: OptionTable<TokenOptions> = {
  id: {
    flag: 'id',
    valueName: '<operator>',
    description: 'operator: who the token is for (at most 128 characters)',
    parse: (t) => (t.length > 128 ? { error: 'must be at most 128 characters' } : text(t)),
  },
  members: {
    flag: 'members',
    valueName: "<uid,uid,...|'*'>",
    repeatable: true,
    description: "operator: the members it may watch, or '*' for all (repeatable)",
    parse: (t) => {
      if (t.trim() === '*') return { value: '*' };
      const uids = (list(t) as { value: string[] }).value;
      const bad = uids.filter((u) => !UID_PATTERN.test(u));
      if (bad.length) return { error: `has invalid uids: ${bad.slice(0, 5).join(', ')}` };
      return uids.length ? { value: uids } : { error: 'lists no uid' };
    },
  },
  uid: {
    flag: 'uid',
    valueName: '<uid>',
    description: 'member: whose fixes it may post, 1-64 of [A-Za-z0-9_.:-]',
    parse: (t) =>
      UID_PATTERN.test(t) ? { value: t } : { error: `must be 1-64 of [A-Za-z0-9_.:-], got "${t}"` },
  },
  ttl: {
    flag: 'ttl',
    valueName: '<45s|30m|8h|7d|seconds>',
    unset: '8h operator, 30d member',
    description:
      'lifetime; relays refuse tokens that live longer than their RELAY_TOKEN_MAX_TTL (default 30d)',
    parse: duration,
  },
  out: {
    flag: 'out',
    valueName: '<file>',
    unset: 'stdout',
    description:
      'write the token to this file (created or replaced, mode 0600). Redirecting stdout works too, but only\n' +
      'with npm run -s: without it npm prints its banner into the file.',
    parse: (t) => (t === '' ? { error: 'needs a file name' } : { value: t }),
  },
};

export const TOKEN_USAGE = optionHelp(TOKEN_OPTIONS, {
  usage: `Usage:
  npm run token -- operator --id <operator> --members <uid,uid,...|'*'> [--ttl 8h] [--out FILE]
  npm run token -- member --uid <uid> [--ttl 30d] [--out FILE]`,
  about: 'Mints a token signed with RELAY_SECRET (HS256) and prints it alone on stdout.',
});

const ROLE_OPTIONS = { operator: ['id', 'members', 'ttl', 'out'], member: ['uid', 'ttl', 'out'] } as const;

export function parseTokenArgs(argv: readonly string[]): ArgsResult<TokenRequest> {
  const parsed = parseOptions(TOKEN_OPTIONS, argv, {}, { positionals: true });
  if (!parsed.ok) return parsed.help ? { ok: false, help: true, errors: [] } : parsed;
  const { values, from, positionals } = parsed;
  const role = positionals[0];
  if (role !== 'operator' && role !== 'member') {
    return { ok: false, help: false, errors: ['first argument must be "operator" or "member"'] };
  }
  const errors = positionals.slice(1).map((p) => `unexpected argument "${p}"`);
  for (const name of Object.keys(from) as (keyof TokenOptions)[])
    if (!(ROLE_OPTIONS[role] as readonly string[]).includes(name))
      errors.push(`unknown option --${TOKEN_OPTIONS[name].flag} for ${role}`);
  const ttlSeconds = values.ttl ?? DEFAULT_TTL[role];
  const output = values.out ? { out: values.out } : {};
  if (role === 'member') {
    if (values.uid === undefined) errors.push('--uid is required: 1-64 of [A-Za-z0-9_.:-]');
    return errors.length
      ? { ok: false, help: false, errors }
      : { ok: true, value: { role, uid: values.uid as string, ttlSeconds, ...output } };
  }
  if (values.id === undefined) errors.push('--id is required (the operator name, at most 128 characters)');
  if (values.members === undefined)
    errors.push(`--members is required: a comma-separated list of uids, or '*'`);
  return errors.length
    ? { ok: false, help: false, errors }
    : {
        ok: true,
        value: {
          role,
          id: values.id as string,
          members: values.members as MemberScope,
          ttlSeconds,
          ...output,
        },
      };
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

interface WatchOptions {
  url: string;
  token: string;
  tokenFile: string;
  members: string[];
  state: string;
  caFile: string;
}

const fileName = (t: string): Parsed<string> => (t === '' ? { error: 'needs a file name' } : { value: t });

export const WATCH_OPTIONS: OptionTable<WatchOptions> = {
  url: {
    flag: 'url',
    valueName: '<ws-url>',
    default: 'ws://127.0.0.1:30582',
    description: 'the relay',
    parse: urlOf(['ws:', 'wss:']),
  },
  tokenFile: {
    flag: 'token-file',
    env: 'LODESTAR_TOKEN_FILE',
    valueName: '<file>',
    description: 'file holding the operator token alone (see npm run token -- --out)',
    parse: fileName,
  },
  token: {
    flag: 'token',
    env: 'LODESTAR_TOKEN',
    valueName: '<token>',
    description: 'the operator token itself (command lines are visible to other users: prefer --token-file)',
    parse: (t) => ({ value: t.trim() }),
  },
  members: {
    flag: 'member',
    valueName: '<uid[,uid...]>',
    repeatable: true,
    description: 'member to watch; repeatable, or comma-separated lists',
    parse: (t) => {
      const uids = (list(t) as { value: string[] }).value;
      const bad = uids.filter((u) => !UID_PATTERN.test(u));
      return bad.length
        ? { error: `has invalid member ids: ${bad.slice(0, 5).join(', ')}` }
        : { value: uids };
    },
  },
  state: {
    flag: 'state',
    valueName: '<file>',
    description:
      'keeps the last position seen per member in this file and, on the next run, watches from there: the\n' +
      'relay replays what was missed (lines of replayed fixes come first), or says on stderr why it cannot',
    parse: fileName,
  },
  caFile: {
    flag: 'ca-file',
    env: 'LODESTAR_CA_FILE',
    valueName: '<file>',
    description:
      "trusts the certificate authority in this file (PEM) for a wss:// relay, besides the system's;\n" +
      'certificates are always verified',
    parse: fileName,
  },
};

export const WATCH_USAGE = optionHelp(WATCH_OPTIONS, {
  usage: `Usage:
  npm run watch -- --url ws://127.0.0.1:30582 --token-file FILE --member 42 [--member 43 ...] [--state FILE]
  [--ca-file FILE]
  npm run watch -- --url ws://127.0.0.1:30582 --token <operator token> --member 42 ...`,
  about:
    'A command-line station: prints each received fix as one JSON line on stdout; status, errors and the close\n' +
    'code go to stderr.',
  footer: 'Exit status: 0 after a normal close, 1 after any other close or refusal, 2 on bad arguments.',
});

export function parseWatchArgs(argv: readonly string[], env: Env): ArgsResult<WatchArgs> {
  const parsed = parseOptions(WATCH_OPTIONS, argv, env);
  if (!parsed.ok) return parsed.help ? { ok: false, help: true, errors: [] } : parsed;
  const { url = '', tokenFile, members = [], state, caFile } = parsed.values;
  let token = parsed.values.token ?? '';
  const errors: string[] = [];
  if (tokenFile !== undefined && token !== '') errors.push('give either --token or --token-file, not both');
  else if (tokenFile === undefined && !token)
    errors.push('--token-file or --token (or LODESTAR_TOKEN_FILE, LODESTAR_TOKEN) is required');
  else if (token.includes('\n')) {
    // e.g. --token "$(cat file)" of a file with npm's banner: a header with a newline would be refused unclearly.
    const checked = tokenFromText(token, '--token');
    if (checked.ok) token = checked.token;
    else errors.push(checked.message);
  }
  if (!members.length) errors.push('at least one --member is required');
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
