<?php
/**
 * Publish one member's fix to the Lodestar relay: the same PUBLISH the backend already does, plus the optional
 * fields the relay understands. Works with phpredis (`new Redis()`) and with ThinkPHP's
 * `Cache::store('redis')->handler()`, which is a phpredis instance.
 *
 * $fix is what the mini-program posted (wx.onLocationChange's result): strings are fine, the relay converts them.
 */
function lodestar_publish_fix($redis, $uid, array $fix, string $channel = 'location_update'): int
{
    $message = [
        'uid' => $uid,                                   // integer or string id, 1-64 of [A-Za-z0-9_.:-]
        'longitude' => $fix['longitude'] ?? '',          // "" (missing) is refused by the relay, never guessed
        'latitude' => $fix['latitude'] ?? '',
        // When the fix was taken, in ms since 1970. Without it the relay uses its own receive time.
        'ts' => isset($fix['ts']) ? (int) $fix['ts'] : (int) round(microtime(true) * 1000),
        // Coordinate system of longitude/latitude: wx.onLocationChange returns gcj02 (the default).
        'crs' => $fix['crs'] ?? 'gcj02',
    ];
    // Optional fields from wx.onLocationChange, passed through when present.
    foreach (['speed', 'accuracy', 'altitude', 'verticalAccuracy', 'horizontalAccuracy', 'heading', 'direction', 'cid'] as $key) {
        if (isset($fix[$key]) && $fix[$key] !== '') {
            $message[$key] = $fix[$key];
        }
    }
    // Returns the number of relay instances that received it (0 if none is running).
    return $redis->publish($channel, json_encode($message));
}
