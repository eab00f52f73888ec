/**
 * A private Redis Cluster for one test file (or one benchmark run): three masters and three replicas on free ports
 * of 127.0.0.1, created with `redis-cli --cluster create ... --cluster-replicas 1`, no persistence, a short
 * `cluster-node-timeout` so a killed master's replica is promoted within seconds. `killMaster()` SIGKILLs a master,
 * as a crash would; `failedOver()` waits for its replica to take its slots over.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { slotTag } from '../../relay/positioning/slots.js';
import { freePort } from './ports.js';
import { askNode, cutReplica, replicaPort, running, untilAnswered } from './redis-nodes.js';

export const hasRedisCluster =
  spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

export interface PrivateCluster {
  /** `127.0.0.1:p1,...` of every node, as REDIS_CLUSTER_NODES takes it. */
  nodes: string;
  ports: number[];
  /** Ports of the current masters, lowest slot first. */
  masterPorts(): Promise<number[]>;
  /** SIGKILL a master (default: the one serving slot 0); resolves with its port once it is gone. */
  killMaster(port?: number): Promise<number>;
  /**
   * Cut the replica of the master on `port` off its master, as a partition would, until the returned function
   * lets it reconnect (redis-nodes.ts `cutReplica`): what the master writes meanwhile is on the master only, and the
   * replica still serves its clients and can be promoted.
   */
  cutReplicaOf(port: number): Promise<() => Promise<void>>;
  /** Resolves with the port of the replica that took `oldPort`'s slots once the cluster is whole again. */
  failedOver(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

type SlotRange = [start: number, end: number, master: [host: string, port: number, ...rest: unknown[]]];

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lodestar-cluster-'));
  const servers = new Map<number, ChildProcess>();
  const ports: number[] = [];
  const taken = new Set<number>();
  const pick = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  /** One node; a port taken meanwhile by another test makes it exit at once: then again on other ports. */
  const startNode = async (): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      const port = await pick();
      // The bus port defaults to port + 10000, which may be taken or past 65535: give it a free one too.
      const busPort = await pick();
      const args = [
        '--port',
        String(port),
        '--cluster-port',
        String(busPort),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ];
      const child = spawn('redis-server', args, { stdio: 'ignore', cwd: dir });
      const up = await untilAnswered(`node ${port} up`, async () => {
        if (!running(child)) return false;
        return (await askNode(port, 'PING')) === 'PONG' ? true : undefined;
      });
      if (up) {
        servers.set(port, child);
        return port;
      }
      if (attempt >= 5) throw new Error(`redis-server exited at start 5 times (last on port ${port})`);
    }
  };
  for (let i = 0; i < 6; i++) ports.push(await startNode());
  await promisify(execFile)(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ],
    { cwd: dir },
  );
  const whole = async (port: number) =>
    String(await askNode(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok') ? true : undefined;
  for (const port of ports) await untilAnswered(`node ${port} sees the cluster whole`, () => whole(port));
  // Every replica has synced: a master killed later must have a replica able to take over.
  await untilAnswered('replicas in sync', async () => {
    for (const port of ports) {
      const info = String(await askNode(port, 'INFO', 'replication'));
      if (info.includes('role:slave') && !info.includes('master_link_status:up')) return undefined;
    }
    return true;
  });

  /*
  A new cluster's CLUSTER SLOTS names no replica until each replica has a replication offset, i.e. until its master
  wrote something: a relay started then would subscribe the raw channel on slot 0's master (redis-cluster.ts), not
  on its replica, and lose what is published while it moves off a killed master. Running clusters have written: one
  write (and its removal) per master, then wait until every node names every master's replica.
  */
  const ranges = (await askNode(ports[0] as number, 'CLUSTER', 'SLOTS')) as SlotRange[];
  for (const [start, , master] of ranges) {
    const key = `{${slotTag(start)}}:lodestar-test-warm`;
    await askNode(Number(master[1]), 'SET', key, '1');
    await askNode(Number(master[1]), 'DEL', key);
  }
  for (const port of ports)
    await untilAnswered(`node ${port} names every replica`, async () => {
      const seen = (await askNode(port, 'CLUSTER', 'SLOTS')) as unknown[][];
      return seen.length > 0 && seen.every((r) => r.length >= 4) ? true : undefined;
    });

  const alive = () => ports.filter((p) => running(servers.get(p) as ChildProcess));
  const slotRanges = async (): Promise<SlotRange[]> => {
    for (const port of alive()) {
      const ranges = (await askNode(port, 'CLUSTER', 'SLOTS').catch(() => undefined)) as
        SlotRange[] | undefined;
      if (ranges) return ranges.sort((a, b) => a[0] - b[0]);
    }
    throw new Error('no cluster node answers');
  };
  /** The masters when each master was killed: the promoted replica is the one master not among them. */
  const mastersBefore = new Map<number, number[]>();
  const masterPorts = async () => [...new Set((await slotRanges()).map((r) => Number(r[2][1])))];

  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    ports,
    masterPorts,
    async killMaster(port) {
      const masters = await masterPorts();
      const target = port ?? masters[0];
      mastersBefore.set(target as number, masters);
      const child = servers.get(target as number);
      if (child && running(child)) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
      return target as number;
    },
    async cutReplicaOf(port) {
      const replica = replicaPort(String(await askNode(port, 'INFO', 'replication')));
      return cutReplica(port, replica);
    },
    async failedOver(oldPort, timeoutMs = 30_000) {
      const before = mastersBefore.get(oldPort) ?? [oldPort];
      return untilAnswered(
        'failover',
        async () => {
          const masters = await masterPorts();
          if (masters.includes(oldPort) || masters.length !== before.length) return undefined;
          for (const port of alive()) if ((await whole(port)) === undefined) return undefined;
          return masters.find((p) => !before.includes(p));
        },
        timeoutMs,
      );
    },
    async stop() {
      await Promise.all(
        [...servers.values()].filter(running).map((c) => {
          const exited = once(c, 'exit');
          c.kill('SIGKILL');
          return exited;
        }),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
