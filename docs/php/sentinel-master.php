<?php
/**
 * Connect to the current master of a Sentinel-monitored Redis (the relays follow the same one with
 * REDIS_SENTINELS / REDIS_MASTER_NAME). Ask again after a connection error or a READONLY reply: that is a
 * failover, and the sentinels then name the promoted replica.
 *
 * $sentinels: [['host' => '10.0.0.11', 'port' => 26379], ...]; $name: the `sentinel monitor <name>` group.
 */
function lodestar_sentinel_master(array $sentinels, string $name, ?string $password = null, float $timeout = 1.0): Redis
{
    foreach ($sentinels as $s) {
        try {
            // phpredis 5.3 takes positional arguments (Debian 12 ships 5.3.7); 6.x takes one options array.
            $sentinel = version_compare(phpversion('redis'), '6.0', '>=')
                ? new RedisSentinel(['host' => $s['host'], 'port' => (int) $s['port'], 'connectTimeout' => $timeout])
                : new RedisSentinel($s['host'], (int) $s['port'], $timeout);
            $address = $sentinel->getMasterAddrByName($name);
        } catch (RedisException $e) {
            continue; // this sentinel is down: ask the next one
        }
        if (!is_array($address) || count($address) !== 2) {
            continue;
        }
        $redis = new Redis();
        if (!$redis->connect($address[0], (int) $address[1], $timeout)) {
            continue;
        }
        if ($password !== null && $password !== '') {
            $redis->auth($password);
        }
        // A sentinel can lag during a failover: only a server that says it is master will take writes.
        $role = $redis->rawCommand('ROLE');
        if (is_array($role) && $role[0] === 'master') {
            return $redis;
        }
        $redis->close();
    }
    throw new RuntimeException("no sentinel names a reachable master for $name");
}
