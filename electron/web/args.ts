/**
 * Flags and environment of `npm run station:web`, parsed and validated up front (pure, table-tested) by the one
 * option table (protocol/option-table.ts): a bad value stops the host with a sentence saying which, before anything
 * starts. Flags win over environment variables.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  integer,
  optionalText,
  optionHelp,
  parseOptions,
  urlOf,
  type Env,
  type OptionTable,
} from '../../protocol/option-table.js';

export interface WebHostArgs {
  relayUrl: string | undefined;
  /** PEM file of a certificate authority trusted for a wss:// relay besides the system's. */
  relayCaFile: string | undefined;
  token: string | undefined;
  tokenFile: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  help: boolean;
}

type WebHostOptions = Omit<WebHostArgs, 'help'>;

export const WEB_HOST_OPTIONS: OptionTable<WebHostOptions> = {
  relayUrl: {
    flag: 'relay-url',
    env: 'LODESTAR_RELAY_URL',
    valueName: '<ws-url>',
    unset: 'the stored setting, else ws://127.0.0.1:30582',
    description: 'relay to subscribe to',
    parse: urlOf(['ws:', 'wss:']),
  },
  relayCaFile: {
    flag: 'relay-ca-file',
    env: 'LODESTAR_RELAY_CA_FILE',
    valueName: '<path>',
    description:
      "PEM certificate authority to trust for a wss:// relay, besides the system's (a company or self-run CA;\n" +
      'verification stays on)',
    parse: optionalText,
  },
  token: {
    flag: 'token',
    env: 'LODESTAR_TOKEN',
    valueName: '<jwt>',
    description: 'operator token; prefer --token-file, command lines are visible to other users',
    parse: optionalText,
  },
  tokenFile: {
    flag: 'token-file',
    env: 'LODESTAR_TOKEN_FILE',
    valueName: '<path>',
    description: 'file holding the operator token',
    parse: optionalText,
  },
  dataDir: {
    flag: 'data-dir',
    env: 'LODESTAR_DATA_DIR',
    valueName: '<dir>',
    unset: '~/.lodestar-station',
    description: 'folder of the station database and exports',
    parse: optionalText,
  },
  host: {
    flag: 'host',
    env: 'LODESTAR_WEB_HOST',
    valueName: '<address>',
    default: '127.0.0.1',
    description:
      'address to listen on. Another address of this machine exposes the station to its network (still\n' +
      'behind the secret); not 0.0.0.0',
    parse: (host) =>
      // The Host-header check (DNS rebinding) needs the one address browsers will use.
      isWildcardAddress(host)
        ? { error: `must be one address of this machine, not the wildcard "${host}"` }
        : { value: host },
  },
  port: {
    flag: 'port',
    env: 'LODESTAR_WEB_PORT',
    valueName: '<n>',
    default: '5180',
    description: 'port to listen on, 0 for any free one',
    parse: integer(0, 65_535),
  },
};

export const WEB_HOST_HELP = optionHelp(WEB_HOST_OPTIONS, {
  usage: 'Usage: npm run station:web -- [options]',
  about: 'Runs the Lodestar station in this Node process and serves it to a browser on this machine.',
  footer:
    "It prints the URL to open; the URL carries a per-run secret after '#', which the browser never sends to servers.",
});

export type ParsedWebHostArgs = { ok: true; value: WebHostArgs } | { ok: false; message: string };

export function parseWebHostArgs(argv: readonly string[], env: Env): ParsedWebHostArgs {
  const parsed = parseOptions(WEB_HOST_OPTIONS, argv, env);
  if (!parsed.ok && !parsed.help) return { ok: false, message: parsed.errors.join('; ') };
  const values = parsed.ok ? parsed.values : {};
  if (values.token !== undefined && values.tokenFile !== undefined) {
    return { ok: false, message: 'give either --token or --token-file, not both' };
  }
  return {
    ok: true,
    value: {
      relayUrl: values.relayUrl,
      relayCaFile: values.relayCaFile,
      token: values.token,
      tokenFile: values.tokenFile,
      dataDir: values.dataDir ?? join(homedir(), '.lodestar-station'),
      host: values.host ?? '127.0.0.1',
      port: values.port ?? 5180,
      help: !parsed.ok,
    },
  };
}

/**
 * Whether `host` is a wildcard bind address, in any spelling an address parser accepts: `0.0.0.0`, `0`, `0.0`,
 * `0x0`, `::`, `::0`, `[::]`, `::ffff:0.0.0.0`, … The WHATWG URL parser normalizes them (IPv4 shorthand, IPv6
 * compression), so the check is on what the socket would actually bind, not on a few spellings.
 */
export function isWildcardAddress(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  let hostname: string;
  try {
    hostname = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return false;
  }
  return hostname === '0.0.0.0' || hostname === '[::]' || hostname === '[::ffff:0:0]';
}
