<?php
/**
 * Connect to a Redis Cluster (the relays are given the same nodes with REDIS_CLUSTER_NODES). PHP keeps publishing
 * with lodestar_publish_fix(): a classic PUBLISH reaches the relays whatever node it goes to, since the cluster
 * carries it to every node. phpredis learns the other nodes and who owns which slot from the seeds, and follows a
 * failover by itself (it retries on the promoted replica after a MOVED reply or a connection error).
 *
 * $seeds: some nodes, ['10.0.0.21:6379', '10.0.0.22:6379', ...]; one reachable seed is enough.
 */
function lodestar_cluster(array $seeds, ?string $password = null, float $timeout = 1.5): RedisCluster
{
    // phpredis 5.3 (Debian 12): name (null: not from redis.ini), seeds, connect and read timeouts, persistent, auth.
    // Persistent: each PHP worker keeps its connections, so a member's fixes leave through one connection in order.
    return new RedisCluster(null, $seeds, $timeout, $timeout, true, $password);
}
