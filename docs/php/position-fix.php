<?php
/**
 * Position one fix with Lodestar's position script. Returns the positioned fix (array with epoch and offset),
 * null when this idempotency key was positioned already, and throws on bad input or a Redis error.
 *
 * $script: the contents of relay/positioning/position.lua (ship that file with the PHP app, read it once).
 */
function lodestar_position(Redis $redis, string $script, array $fix, string $idempotencyKey, array $options = []): ?array
{
    $o = $options + [
        'keyPrefix' => 'lodestar:',
        'positionedChannel' => 'location_update:positioned',
        'windowMs' => 24 * 3600 * 1000,
        'maxLen' => 200000,
        'idempotencyTtlMs' => 60000,
    ];

    // The canonical fix: what input() gives is strings, and '' when missing.
    $uid = (string) ($fix['uid'] ?? '');
    if (!preg_match('/^[A-Za-z0-9_.:-]{1,64}$/', $uid)) {
        throw new InvalidArgumentException('uid must be 1-64 of [A-Za-z0-9_.:-]');
    }
    $lat = $fix['latitude'] ?? $fix['lat'] ?? '';
    $lon = $fix['longitude'] ?? $fix['lon'] ?? '';
    if (!is_numeric($lat) || !is_numeric($lon) || abs((float) $lat) > 90 || abs((float) $lon) > 180) {
        throw new InvalidArgumentException('latitude/longitude missing or out of range');
    }
    $ts = isset($fix['ts']) && $fix['ts'] !== '' ? $fix['ts'] : (int) floor(microtime(true) * 1000);
    if (!is_numeric($ts) || (int) $ts != $ts || (int) $ts < 946684800000) {
        throw new InvalidArgumentException('ts must be an integer count of milliseconds since 1970');
    }
    $canonical = ['uid' => $uid, 'lat' => (float) $lat, 'lon' => (float) $lon, 'ts' => (int) $ts, 'crs' => 'gcj02'];
    foreach (['speed', 'accuracy', 'altitude', 'verticalAccuracy', 'horizontalAccuracy'] as $name) {
        if (isset($fix[$name]) && is_numeric($fix[$name])) {
            $canonical[$name] = (float) $fix[$name];
        }
    }
    if (isset($fix['cid']) && preg_match('/^[A-Za-z0-9_.:-]{1,64}$/', (string) $fix['cid'])) {
        $canonical['cid'] = (string) $fix['cid'];
    }

    $tag = $o['keyPrefix'] . '{' . $uid . '}:';
    // The relays' claim sets are <prefix>seen:<bucket>; the claim names the member and the key.
    $keys = [$o['keyPrefix'] . 'seen:', $tag . 'meta', $tag . 'fixes', $tag . 'bytime'];
    $args = [
        json_encode($canonical, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR),
        (string) $canonical['ts'],
        rtrim(strtr(base64_encode(random_bytes(9)), '+/', '-_'), '='),
        $o['idempotencyTtlMs'],
        $o['windowMs'],
        $o['maxLen'],
        $o['positionedChannel'],
        $uid . ':' . $idempotencyKey,
    ];

    $redis->clearLastError();
    $result = $redis->evalSha(sha1($script), array_merge($keys, $args), count($keys));
    if ($result === false && strpos((string) $redis->getLastError(), 'NOSCRIPT') === 0) {
        $redis->clearLastError();
        $result = $redis->eval($script, array_merge($keys, $args), count($keys));
    }
    $error = $redis->getLastError();
    if ($error !== null) {
        throw new RuntimeException('lodestar position script failed: ' . $error);
    }
    // phpredis turns the script's nil (already positioned) into false.
    return $result === false ? null : json_decode($result, true, 8, JSON_THROW_ON_ERROR);
}
