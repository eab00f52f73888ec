/**
 * Flags and environment of `npm run station:web`, parsed and validated up front (pure, table-tested): a bad value
 * stops the host with a sentence saying which, before anything starts. Flags win over environment variables.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

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

export const WEB_HOST_HELP = `Usage: npm run station:web -- [options]

Runs the Lodestar station in this Node process and serves it to a browser on this machine.

Options (environment variable in brackets):
  --relay-url <ws-url>   relay to subscribe to [LODESTAR_RELAY_URL]; default: the stored setting, else ws://127.0.0.1:30582
  --relay-ca-file <path> PEM certificate authority to trust for a wss:// relay, besides the system's
                         [LODESTAR_RELAY_CA_FILE] (a company or self-run CA; verification stays on)
  --token <jwt>          operator token [LODESTAR_TOKEN]; prefer --token-file, command lines are visible to other users
  --token-file <path>    file holding the operator token [LODESTAR_TOKEN_FILE]
  --data-dir <dir>       folder of the station database and exports [LODESTAR_DATA_DIR]; default ~/.lodestar-station
  --host <address>       address to listen on [LODESTAR_WEB_HOST]; default 127.0.0.1. Another address of this
                         machine exposes the station to its network (still behind the secret); not 0.0.0.0
  --port <n>             port to listen on, 0 for any free one [LODESTAR_WEB_PORT]; default 5180
  -h, --help             show this help

It prints the URL to open; the URL carries a per-run secret after '#', which the browser never sends to servers.`;

export type ParsedWebHostArgs = { ok: true; value: WebHostArgs } | { ok: false; message: string };

export function parseWebHostArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedWebHostArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        'relay-url': { type: 'string' },
        'relay-ca-file': { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const pick = (flag: string, envName: string): string | undefined => {
    const value = values[flag];
    if (typeof value === 'string') return value;
    const fromEnv = env[envName];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };

  const relayUrl = pick('relay-url', 'LODESTAR_RELAY_URL');
  if (relayUrl !== undefined && !/^wss?:\/\/[^\s]+$/.test(relayUrl)) {
    return { ok: false, message: `--relay-url must be a ws:// or wss:// URL, got "${relayUrl}"` };
  }
  const portText = pick('port', 'LODESTAR_WEB_PORT') ?? '5180';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    return { ok: false, message: `--port must be an integer from 0 to 65535, got "${portText}"` };
  }
  const token = pick('token', 'LODESTAR_TOKEN');
  const tokenFile = pick('token-file', 'LODESTAR_TOKEN_FILE');
  if (token !== undefined && tokenFile !== undefined) {
    return { ok: false, message: 'give either --token or --token-file, not both' };
  }
  const host = pick('host', 'LODESTAR_WEB_HOST') ?? '127.0.0.1';
  if (isWildcardAddress(host)) {
    // The Host-header check (DNS rebinding) needs the one address browsers will use.
    return { ok: false, message: `--host must be one address of this machine, not the wildcard "${host}"` };
  }
  return {
    ok: true,
    value: {
      relayUrl,
      relayCaFile: pick('relay-ca-file', 'LODESTAR_RELAY_CA_FILE'),
      token,
      tokenFile,
      dataDir: pick('data-dir', 'LODESTAR_DATA_DIR') ?? join(homedir(), '.lodestar-station'),
      host,
      port,
      help: values.help === true,
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
