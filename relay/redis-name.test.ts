/**
 * The relay's Redis connections carry their name (relay/redis-name.ts), also when Redis refused it in a handshake
 * that then went on: a proxy between the relay and a private redis-server turns the first connections' CLIENT SETNAME
 * into an AUTH with a wrong password, so Redis itself refuses it (WRONGPASS, in order with its other answers) while
 * the connection stays logged in and its ready check passes.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRelayMetrics } from './metrics.js';
import { connectRedis, type RedisConnections } from './redis.js';
import { nameOutcome, RELAY_CONNECTION_NAME, type NameOutcome } from './redis-name.js';
import { startPrivateRedis, type PrivateRedis } from '../test/support/redis-server.js';
import { until } from '../test/support/wait.js';

describe('nameOutcome', () => {
  it.each<[string, Error | undefined, NameOutcome]>([
    ['answered OK', undefined, 'named'],
    ['user locked meanwhile', new Error('NOAUTH Authentication required.'), 'reconnect'],
    [
      'password changed',
      new Error('WRONGPASS invalid username-password pair or user is disabled.'),
      'reconnect',
    ],
    [
      'ACL without client|setname',
      new Error("NOPERM User relay has no permissions to run the 'client|setname' command"),
      'unnamed',
    ],
    ['server without the command', new Error("ERR unknown subcommand 'SETNAME'."), 'unnamed'],
    ['NOAUTH only as a prefix', new Error('ERR NOAUTH in the middle'), 'unnamed'],
  ])('%s', (_case, error, outcome) => {
    expect(nameOutcome(error)).toBe(outcome);
  });
});

// Found in any letter case (ioredis's own connectionName writes `client setname`, the relay `client SETNAME`).
const SETNAME = Buffer.from(`*3\r\n$6\r\nclient\r\n$7\r\nsetname\r\n$14\r\n${RELAY_CONNECTION_NAME}\r\n`);
// Same length; a failed AUTH leaves the connection logged in as it was.
const WRONG_AUTH = Buffer.from(`*3\r\n$4\r\nAUTH\r\n$9\r\nnobody-xx\r\n$14\r\n${RELAY_CONNECTION_NAME}\r\n`);

/** A TCP proxy to `port` that refuses the name on its first `refused` connections; counts what it refused. */
async function nameRefusingProxy(port: number, refused: number) {
  const sockets = new Set<Socket>();
  let connections = 0;
  let rewritten = 0;
  const server: Server = createServer((client) => {
    const refuse = connections++ < refused;
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      const at = refuse ? Buffer.from(chunk.toString('latin1').toLowerCase(), 'latin1').indexOf(SETNAME) : -1;
      if (at >= 0) {
        chunk = Buffer.concat([chunk.subarray(0, at), WRONG_AUTH, chunk.subarray(at + SETNAME.length)]);
        rewritten++;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`,
    rewritten: () => rewritten,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let redis: PrivateRedis;
let admin: Redis;
let conns: RedisConnections | undefined;
const metrics = createRelayMetrics({
  connections: () => 0,
  watches: () => 0,
  watchedMembers: () => 0,
  redisUp: () => false,
  tally: { delivered: 0, coalesced: 0 },
});

beforeAll(async () => {
  redis = await startPrivateRedis();
  admin = new Redis(redis.url, { connectionName: 'test-admin' });
});
afterEach(async () => {
  await conns?.close();
  conns = undefined;
  await admin.client('KILL', 'SKIPME', 'yes').catch(() => undefined);
});
afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

/** CLIENT LIST rows of every connection other than the test's own. */
async function others(): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((line) => line && !line.includes('name=test-admin'));
}

describe('the relay’s connection name', () => {
  it('is set after Redis refused it in a handshake that went on', async () => {
    const proxy = await nameRefusingProxy(redis.port, 2);
    try {
      conns = connectRedis({ kind: 'url', url: proxy.url }, pino({ level: 'silent' }), metrics);
      const subscribed = conns.subscriber as Redis;
      await subscribed.subscribe('named-test');

      // Up only once both connections are named: one subscribed (flag P), one for commands.
      const rows = await until(
        async () => {
          const rows = await others();
          return conns!.healthy() && rows.length === 2 && rows;
        },
        { what: 'the relay up with two connections' },
      );
      expect(rows.every((row) => row.includes(`name=${RELAY_CONNECTION_NAME} `))).toBe(true);
      expect(rows.filter((row) => /flags=\S*P/.test(row))).toHaveLength(1);
      expect(proxy.rewritten()).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('is done without when the user may not set it, and the relay still comes up', async () => {
    await admin.call(
      'ACL',
      'SETUSER',
      'unnamed',
      'on',
      '>unnamed-secret',
      '~*',
      '&*',
      '+@all',
      '-client|setname',
    );
    const warned: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warned.push(line) });
    conns = connectRedis(
      { kind: 'url', url: `redis://unnamed:unnamed-secret@127.0.0.1:${redis.port}` },
      logger,
      metrics,
    );

    await until(() => conns!.healthy(), { what: 'the relay up' });
    const rows = await others();
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.includes('name= '))).toBe(true);
    expect(warned.filter((line) => line.includes('refused the connection name'))).toHaveLength(2);
  });
});
