<?php
/**
 * Mint a Lodestar operator token: a JWT signed HS256 with the relay's RELAY_SECRET. $members is a list of member
 * ids the operator may watch, or '*' for all. Keep the secret on the server; hand the token to the dispatcher's
 * station (or open the station's URL with it).
 */
function lodestar_base64url(string $bytes): string
{
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}

function lodestar_operator_token(string $secret, string $operator, $members, int $ttlSeconds = 28800): string
{
    $now = time();
    $header = ['alg' => 'HS256', 'typ' => 'JWT'];
    $claims = [
        'role' => 'operator',
        'sub' => $operator,
        // Member ids as strings: the relay compares them with the fixes' uid, which it turns into a string.
        'members' => $members === '*' ? '*' : array_values(array_map('strval', $members)),
        'iat' => $now,
        'exp' => $now + $ttlSeconds,
    ];
    $signingInput = lodestar_base64url(json_encode($header)) . '.' . lodestar_base64url(json_encode($claims));
    $signature = hash_hmac('sha256', $signingInput, $secret, true);
    return $signingInput . '.' . lodestar_base64url($signature);
}
