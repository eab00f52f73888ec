/**
 * The receiving end of socket-writes.micro.ts, in a process of its own so its CPU is not the server's: `count`
 * websocket clients, each counting messages; tells the parent over IPC when they are open and when `expected`
 * messages have arrived in total.
 */
import WebSocket from 'ws';

process.on('message', (m: { url: string; count: number } | { expect: number }) => {
  if ('url' in m) void open(m.url, m.count);
  else expected = m.expect;
});

let received = 0;
let expected = Infinity;

async function open(url: string, count: number): Promise<void> {
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          ws.on('message', () => {
            if (++received >= expected) {
              received = 0;
              expected = Infinity;
              process.send?.('done');
            }
          });
          ws.once('open', () => resolve());
          ws.once('error', reject);
        }),
    ),
  );
  process.send?.('open');
}
