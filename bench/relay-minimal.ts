/**
 * The calibration relay of the fan-out shapes (relay-fanout.ts): the least a Node relay can do and still deliver
 * each fix to the stations watching its member. One ioredis subscriber, JSON.parse of each message for its uid,
 * per-connection arrays of pending fix messages flushed once per event-loop turn (one corked write round), `ws`
 * for the websocket side. No auth, no validation, no backpressure: it is a floor to compare Lodestar's latency
 * with, not a relay to run.
 *
 * Speaks just enough of Lodestar's protocol for the bench stations: `welcome`, a `watched` per watched member, and
 * `{"type":"fix","fix":<raw message>}`. Usage: relay-minimal.ts <redis url> <channel> <port>; prints `ready`.
 */
import { Redis } from 'ioredis';
import { WebSocketServer, type WebSocket } from 'ws';

const [redisUrl, channel, port] = process.argv.slice(2) as [string, string, string];

interface Connection {
  ws: WebSocket;
  pending: string[];
}

const watchers = new Map<string, Set<Connection>>();
const dirty = new Set<Connection>();
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (const c of dirty) {
    const socket = (c.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socket.cork();
    for (const message of c.pending) c.ws.send(message);
    socket.uncork();
    c.pending = [];
  }
  dirty.clear();
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(port), perMessageDeflate: false });
wss.on('connection', (ws) => {
  const connection: Connection = { ws, pending: [] };
  const watched: string[] = [];
  ws.send('{"type":"welcome"}');
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; members?: { uid: string }[] };
    if (message.type !== 'watch') return;
    for (const { uid } of message.members ?? []) {
      let set = watchers.get(uid);
      if (!set) watchers.set(uid, (set = new Set()));
      set.add(connection);
      watched.push(uid);
      ws.send(JSON.stringify({ type: 'watched', uid }));
    }
  });
  ws.on('close', () => {
    for (const uid of watched) watchers.get(uid)?.delete(connection);
    dirty.delete(connection);
  });
});

const subscriber = new Redis(redisUrl);
subscriber.on('message', (_channel: string, message: string) => {
  const uid = String((JSON.parse(message) as { uid: unknown }).uid);
  const set = watchers.get(uid);
  if (!set) return;
  const framed = `{"type":"fix","fix":${message}}`;
  for (const c of set) {
    c.pending.push(framed);
    dirty.add(c);
  }
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
});
await subscriber.subscribe(channel);
if (!wss.address()) await new Promise((resolve) => wss.once('listening', resolve));
process.stdout.write('ready\n');
// Exit cleanly on SIGTERM so `--cpu-prof` (BENCH_RELAY_NODE_ARGS) writes its profile.
process.once('SIGTERM', () => process.exit(0));
