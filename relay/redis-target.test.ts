import { describe, expect, it } from 'vitest';
import { describeRedisTarget, parseHostPorts, redisTargetOf } from './redis-target.js';

const base = {
  redisUrl: 'redis://10.0.0.5:6379/2',
  redisSentinels: '',
  redisMasterName: 'mymaster',
  redisPassword: '',
  redisSentinelPassword: '',
  redisClusterNodes: '',
};

describe('parseHostPorts', () => {
  it.each([
    ['a:1', [{ host: 'a', port: 1 }]],
    [
      ' 10.0.0.1:26379 , 10.0.0.2:26380 ',
      [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
    ],
    ['[::1]:26379', [{ host: '::1', port: 26379 }]],
    [
      'a:1,,b:2',
      [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
    ],
  ])('%j', (text, value) => {
    expect(parseHostPorts(text, 'X')).toEqual({ value });
  });

  it.each([
    ['', /lists no host:port/],
    ['a', /"a" is not host:port/],
    ['a:0', /port 1-65535/],
    ['a:70000', /port 1-65535/],
    ['::1:26379', /is not host:port/],
    ['a:1,b', /"b" is not host:port/],
  ])('%j is refused', (text, error) => {
    expect(parseHostPorts(text, 'X').error).toMatch(error);
  });
});

describe('redisTargetOf', () => {
  it.each([
    ['URL by default', base, { target: { kind: 'url', url: base.redisUrl } }],
    [
      'Sentinel when sentinels are listed',
      { ...base, redisSentinels: 's1:26379,s2:26379', redisMasterName: 'lodestar', redisPassword: 'pw' },
      {
        target: {
          kind: 'sentinel',
          sentinels: [
            { host: 's1', port: 26379 },
            { host: 's2', port: 26379 },
          ],
          masterName: 'lodestar',
          password: 'pw',
        },
      },
    ],
    [
      'Cluster when cluster nodes are listed',
      { ...base, redisClusterNodes: 'n1:7000,n2:7001', redisPassword: 'pw' },
      {
        target: {
          kind: 'cluster',
          nodes: [
            { host: 'n1', port: 7000 },
            { host: 'n2', port: 7001 },
          ],
          password: 'pw',
        },
      },
    ],
    [
      'a bad cluster node list',
      { ...base, redisClusterNodes: 'n1' },
      { error: expect.stringMatching(/REDIS_CLUSTER_NODES/) },
    ],
    [
      'both cluster nodes and sentinels',
      { ...base, redisClusterNodes: 'n1:1', redisSentinels: 's1:2' },
      { error: expect.stringMatching(/not both/) },
    ],
    [
      'a bad sentinel list',
      { ...base, redisSentinels: 's1' },
      { error: expect.stringMatching(/REDIS_SENTINELS/) },
    ],
  ])('%s', (_name, settings, expected) => {
    expect(redisTargetOf(settings)).toEqual(expected);
  });
});

describe('describeRedisTarget', () => {
  it.each([
    [{ kind: 'url', url: 'redis://:secret@h:1/0' } as const, 'redis://h:1/0'],
    [{ kind: 'url', url: 'redis://user:secret@h:1' } as const, 'redis://h:1'],
    [
      { kind: 'sentinel', sentinels: [{ host: 'a', port: 1 }], masterName: 'm', password: 'secret' } as const,
      'sentinel master "m" via a:1',
    ],
    [{ kind: 'cluster', nodes: [{ host: 'a', port: 1 }], password: 'secret' } as const, 'cluster via a:1'],
  ])('%j never shows a password', (target, text) => {
    expect(describeRedisTarget(target)).toBe(text);
  });
});
