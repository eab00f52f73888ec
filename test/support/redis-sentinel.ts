/**
 * A private Sentinel setup for one test file: a master, one replica and three sentinels (quorum 2) on free ports of
 * 127.0.0.1, with Debian's redis-server and redis-sentinel, no persistence. `killMaster()` SIGKILLs whichever server
 * is master now, as a crash would; the sentinels then promote the replica.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { askNode, running, untilAnswered } from './redis-nodes.js';

export const hasRedisSentinel = spawnSync('redis-sentinel', ['--version']).status === 0;

export interface PrivateSentinels {
  masterName: string;
  /** `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`, as REDIS_SENTINELS takes it. */
  sentinels: string;
  sentinelPorts: number[];
  /** The port the sentinels name as master now. */
  masterPort(): Promise<number>;
  /** SIGKILL the current master; resolves with its port once it is gone. */
  killMaster(): Promise<number>;
  /** Resolves once the sentinels name another master than `oldPort` and it answers as master. */
  failedOver(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startPrivateSentinels(masterName = 'lodestar'): Promise<PrivateSentinels> {
  const dir = mkdtempSync(join(tmpdir(), 'lodestar-sentinel-'));
  const servers = new Map<number, ChildProcess>();
  const sentinelsProcs: ChildProcess[] = [];
  // --dir: a replica saves the RDB it receives from its master there; keep it out of the checkout.
  const serverArgs = (port: number) => [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];

  const masterPort = await freePort();
  const replicaPort = await freePort();
  servers.set(masterPort, spawn('redis-server', serverArgs(masterPort), { stdio: 'ignore', cwd: dir }));
  await untilAnswered('master up', async () =>
    (await askNode(masterPort, 'PING')) === 'PONG' ? true : undefined,
  );
  servers.set(
    replicaPort,
    spawn('redis-server', [...serverArgs(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)], {
      stdio: 'ignore',
    }),
  );
  await untilAnswered('replica in sync', async () =>
    String(await askNode(replicaPort, 'INFO', 'replication')).includes('master_link_status:up')
      ? true
      : undefined,
  );

  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  for (const port of sentinelPorts) {
    const file = join(dir, `sentinel-${port}.conf`);
    // Sentinel rewrites its config file (discovered peers, epochs): one writable file each.
    writeFileSync(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 10000`,
        `sentinel parallel-syncs ${masterName} 1`,
        '',
      ].join('\n'),
    );
    sentinelsProcs.push(spawn('redis-sentinel', [file], { stdio: 'ignore', cwd: dir }));
  }
  // Ready for a failover once every sentinel knows the other two and the replica.
  for (const port of sentinelPorts) {
    await untilAnswered(`sentinel ${port} sees its peers and the replica`, async () => {
      const peers = (await askNode(port, 'SENTINEL', 'SENTINELS', masterName)) as unknown[];
      const replicas = (await askNode(port, 'SENTINEL', 'REPLICAS', masterName)) as unknown[];
      return peers.length === 2 && replicas.length === 1 ? true : undefined;
    });
  }

  const currentMaster = async () => {
    const [, port] = (await askNode(
      sentinelPorts[0] as number,
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      masterName,
    )) as [string, string];
    return Number(port);
  };

  return {
    masterName,
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    sentinelPorts,
    masterPort: currentMaster,
    async killMaster() {
      const port = await currentMaster();
      const child = servers.get(port);
      if (child && running(child)) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
      return port;
    },
    async failedOver(oldPort, timeoutMs = 30_000) {
      return untilAnswered(
        'failover',
        async () => {
          const port = await currentMaster();
          if (port === oldPort) return undefined;
          const role = (await askNode(port, 'ROLE')) as [string];
          return role[0] === 'master' ? port : undefined;
        },
        timeoutMs,
      );
    },
    async stop() {
      const all = [...servers.values(), ...sentinelsProcs].filter(running);
      await Promise.all(
        all.map((c) => {
          const exited = once(c, 'exit');
          c.kill('SIGKILL');
          return exited;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
