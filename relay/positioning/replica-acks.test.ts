import { describe, expect, it } from 'vitest';
import {
  acksNeeded,
  afterWait,
  parseReplicaAcks,
  countedReplicas,
  onlineReplicas,
  type ReplicaAcksSetting,
  type WaitVerdict,
} from './replica-acks.js';

describe('acksNeeded', () => {
  it.each<[string, ReplicaAcksSetting, number, number]>([
    ['auto, no replica: the script publishes, as on a single Redis', 'auto', 0, 0],
    ['auto, one replica: wait for it', 'auto', 1, 1],
    ['auto, two replicas: one is enough', 'auto', 2, 1],
    ['off: never wait, replicas or not', 0, 2, 0],
    ['2 asked, 2 online', 2, 2, 2],
    ['2 asked, 1 online: only that one (WAIT 2 would never come back whole)', 2, 1, 1],
    ['2 asked, none online', 2, 0, 0],
  ])('%s', (_name, setting, online, needed) => {
    expect(acksNeeded(setting, online)).toBe(needed);
  });
});

describe('afterWait', () => {
  const lost = new Error('Connection is closed.');
  it.each<[string, Parameters<typeof afterWait>[0], WaitVerdict]>([
    ['acknowledged: publish', { setting: 'auto', needed: 1, acked: 1, sameConnection: true }, 'publish'],
    ['more than asked: publish', { setting: 'auto', needed: 1, acked: 2, sameConnection: true }, 'publish'],
    [
      'short, master there, replica still online: wait again, unpublished',
      { setting: 'auto', needed: 1, acked: 0, sameConnection: true, replicasNow: 1 },
      'wait_again',
    ],
    [
      'short, not looked at again: wait again',
      { setting: 'auto', needed: 1, acked: 0, sameConnection: true },
      'wait_again',
    ],
    [
      'short because the replica went away: nothing to wait for, publish as without replicas',
      { setting: 'auto', needed: 1, acked: 0, sameConnection: true, replicasNow: 0 },
      'publish',
    ],
    [
      '2 of 2 asked, one replica left and it acknowledged: publish',
      { setting: 2, needed: 2, acked: 1, sameConnection: true, replicasNow: 1 },
      'publish',
    ],
    [
      '2 of 2 asked, both still online, one acknowledged: wait again',
      { setting: 2, needed: 2, acked: 1, sameConnection: true, replicasNow: 2 },
      'wait_again',
    ],
    [
      'WAIT failed (master gone): unavailable, the batch goes back to the backlog',
      { setting: 'auto', needed: 1, acked: lost, sameConnection: true },
      'unavailable',
    ],
    [
      'connection replaced since the script ran: unavailable even if WAIT says enough',
      { setting: 'auto', needed: 1, acked: 1, sameConnection: false },
      'unavailable',
    ],
  ])('%s', (_name, input, verdict) => {
    expect(afterWait(input)).toBe(verdict);
  });
});

describe('onlineReplicas', () => {
  const master = (...replicas: string[]) =>
    [
      '# Replication',
      'role:master',
      `connected_slaves:${replicas.length}`,
      ...replicas,
      'master_repl_offset:9',
    ].join('\r\n');
  it.each<[string, string, string[]]>([
    ['no replica', master(), []],
    ['one online', master('slave0:ip=10.0.0.2,port=6379,state=online,offset=9,lag=0'), ['10.0.0.2:6379']],
    [
      'one online, one still loading its first sync',
      master(
        'slave0:ip=10.0.0.2,port=6379,state=online,offset=9,lag=1',
        'slave1:ip=10.0.0.3,port=6379,state=wait_bgsave,offset=0,lag=0',
      ),
      ['10.0.0.2:6379'],
    ],
    [
      'one silent for 11 s (cut off): not online',
      master('slave0:ip=a,port=1,state=online,offset=9,lag=11'),
      [],
    ],
    ['a replica itself has none to wait for', 'role:slave\r\nmaster_host:a\r\nconnected_slaves:0', []],
  ])('%s', (_name, info, online) => {
    expect(onlineReplicas(info)).toEqual(online);
  });
});

describe('countedReplicas', () => {
  it.each<[string, [string, number][], number]>([
    ['none ever seen', [], 0],
    ['seen now', [['a:1', 100_000]], 1],
    ['link dropped 9 s ago: still counts (it may be the one promoted)', [['a:1', 91_000]], 1],
    ['gone for 10 s: still counts', [['a:1', 90_000]], 1],
    ['gone for longer: no longer counts', [['a:1', 89_999]], 0],
    [
      'one here, one long gone',
      [
        ['a:1', 100_000],
        ['b:1', 1_000],
      ],
      1,
    ],
  ])('%s', (_name, seen, n) => {
    expect(countedReplicas(new Map(seen), 100_000)).toBe(n);
  });
});

describe('parseReplicaAcks', () => {
  it.each<[string, ReturnType<typeof parseReplicaAcks>]>([
    ['auto', { value: 'auto' }],
    ['AUTO', { value: 'auto' }],
    ['0', { value: 0 }],
    ['2', { value: 2 }],
    ['16', { value: 16 }],
    ['17', { error: 'must be auto or an integer from 0 to 16, got "17"' }],
    ['-1', { error: 'must be auto or an integer from 0 to 16, got "-1"' }],
    ['one', { error: 'must be auto or an integer from 0 to 16, got "one"' }],
    ['', { error: 'must be auto or an integer from 0 to 16, got ""' }],
  ])('%j', (text, parsed) => {
    expect(parseReplicaAcks(text)).toEqual(parsed);
  });
});
