/**
 * `npm run watch`: a command-line station. One JSON line per fix on stdout (the canonical fix: uid, lat, lon, ts,
 * crs, ...); everything else (welcome, status, errors, close code) on stderr, so stdout pipes cleanly into jq.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import WebSocket from 'ws';
import { tokenFromText } from '../../protocol/token-text.js';
import { CloseCode } from '../../protocol/codes.js';
import { parseServerMessage } from '../../protocol/messages.js';
import { WATCH_USAGE, parseWatchArgs } from './args.js';
import { readWatchState, recordPosition, writeWatchState, type WatchState } from './watch-state.js';

const parsed = parseWatchArgs(process.argv.slice(2), process.env);
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(WATCH_USAGE);
    process.exit(0);
  }
  for (const e of parsed.errors) process.stderr.write(`watch: ${e}\n`);
  process.stderr.write(WATCH_USAGE);
  process.exit(2);
}
const { url, members, state: stateFile, tokenFile, caFile } = parsed.value;
const say = (text: string) => process.stderr.write(`watch: ${text}\n`);
let token = parsed.value.token;
if (tokenFile !== undefined) {
  let text: string;
  try {
    text = readFileSync(tokenFile, 'utf8');
  } catch (error) {
    say(`cannot read the token file ${tokenFile}: ${(error as Error).message}`);
    process.exit(2);
  }
  const checked = tokenFromText(text);
  if (!checked.ok) {
    say(`${checked.message} (${tokenFile})`);
    process.exit(2);
  }
  token = checked.token;
}

let trustedCa: string | undefined;
if (caFile) {
  try {
    trustedCa = readFileSync(caFile, 'utf8');
  } catch (error) {
    say(`cannot read --ca-file: ${(error as Error).message}`);
    process.exit(2);
  }
}

let state: WatchState = {};
if (stateFile) {
  try {
    state = readWatchState(stateFile);
  } catch (error) {
    say((error as Error).message);
    process.exit(2);
  }
}
/** Members watched with `since`: their `watched.latest` is already held (or about to be replayed). */
const resumed = new Set(members.filter((uid) => stateFile && state[uid]));
let saveTimer: NodeJS.Timeout | undefined;
function saveSoon(): void {
  if (!stateFile || saveTimer) return;
  saveTimer = setTimeout(saveNow, 200);
}
function saveNow(): void {
  clearTimeout(saveTimer);
  saveTimer = undefined;
  if (stateFile) writeWatchState(stateFile, state);
}
function print(fix: { uid: string; epoch?: string; offset?: number }): void {
  process.stdout.write(`${JSON.stringify(fix)}\n`);
  if (recordPosition(state, fix)) saveSoon();
}

const CLOSE_MEANINGS: Record<number, string> = Object.fromEntries(
  Object.entries(CloseCode).map(([name, code]) => [code, name]),
);

const ws = new WebSocket(url, {
  headers: { authorization: `Bearer ${token}` },
  perMessageDeflate: false,
  // Node's `ca` replaces the default list: keep the system's roots beside the extra CA.
  ...(trustedCa ? { ca: [...rootCertificates, trustedCa] } : {}),
});

ws.on('unexpected-response', (_req, res) => {
  let body = '';
  res.on('data', (c: Buffer) => (body += c.toString()));
  res.on('end', () => {
    say(`refused: HTTP ${res.statusCode} ${body}`);
    process.exit(1);
  });
});
ws.on('error', (error) => {
  say(`error: ${error.message}`);
  process.exit(1);
});
ws.on('open', () => say(`connected to ${url}`));
ws.on('message', (data) => {
  const msg = parseServerMessage(data.toString());
  if (!msg.ok) {
    say(`unexpected frame (${msg.reason}): ${msg.message}`);
    return;
  }
  const m = msg.value;
  switch (m.type) {
    case 'fix':
      print(m.fix);
      return;
    case 'welcome':
      say(`welcome: operator ${m.operator}, relay ${m.relayId}${m.degraded ? ' (degraded)' : ''}`);
      ws.send(
        JSON.stringify({
          type: 'watch',
          members: members.map((uid) => (resumed.has(uid) ? { uid, since: state[uid] } : { uid })),
        }),
      );
      return;
    case 'watched': {
      const c = m.catchup;
      const how =
        c.status === 'replaying'
          ? `, replaying ${c.count} missed fixes`
          : c.status === 'not_recoverable'
            ? `, missed fixes not recoverable (${c.reason})`
            : '';
      say(`watching ${m.uid}${how}`);
      // Resumed and recoverable: the station holds `latest` already, or gets it at the end of the replay.
      if (m.latest && !(resumed.has(m.uid) && c.status !== 'not_recoverable')) print(m.latest);
      return;
    }
    case 'replay_done':
      say(`replayed ${m.count} fixes of ${m.uid}`);
      return;
    case 'error':
      say(`error ${m.code}${m.uid ? ` (member ${m.uid})` : ''}: ${m.message}`);
      return;
    case 'status':
      say(m.degraded ? `relay degraded: ${m.reason ?? 'unknown'}` : 'relay recovered');
      return;
    case 'token_expiring':
      say(`token expires at ${new Date(m.expiresAt).toISOString()}: mint a new one and reconnect`);
      return;
    default:
      return;
  }
});
ws.on('close', (code, reason) => {
  saveNow();
  say(`closed: ${code} ${CLOSE_MEANINGS[code] ?? ''} ${reason.toString()}`.trim());
  process.exit(code === CloseCode.NORMAL ? 0 : 1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => ws.close(CloseCode.NORMAL));
}
